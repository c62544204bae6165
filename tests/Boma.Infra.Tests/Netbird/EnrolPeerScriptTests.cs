namespace Boma.Infra.Tests.Netbird;

/// <summary>
/// hosts/netbird-api/enrol-peer.sh (askari joins its own mesh) against a fake <c>netbird</c> client on PATH that
/// records its argv and keeps a connected/URL state: the key goes by file, a second run does not enrol again.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EnrolPeerScriptTests
{
    private const string Url = "https://netbird.askari.example.org";
    private const string Key = "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF";

    private const string FakeNetbird = """
        #!/usr/bin/env bash
        state="$NB_STUB_STATE"
        printf '%s\n' "$*" >>"$state/calls"
        case "$1" in
          status)
            if [ "${2:-}" = --json ]; then
              if [ -f "$state/url" ]; then printf '{"management":{"connected":true,"url":"%s"}}\n' "$(cat "$state/url")"; else echo '{}'; fi
            elif [ "${2:-}" = --ipv4 ] && [ -f "$state/url" ]; then
              echo 100.90.0.1
            fi ;;
          up) cp "$5" "$state/key-read"; printf '%s\n' "$3" >"$state/url" ;;
        esac
        """;

    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("boma-enrol-peer-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        var fake = Path.Combine(_dir, "bin", "netbird");
        File.WriteAllText(fake, FakeNetbird.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Task<Tools.Result> Enrol(string keyFile) =>
        Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird-api", "enrol-peer.sh"), Url, keyFile, "askari"], env: new Dictionary<string, string>
        {
            ["PATH"] = $"{Path.Combine(_dir, "bin")}:{Environment.GetEnvironmentVariable("PATH")}",
            ["NB_STUB_STATE"] = _dir,
        });

    private string[] Calls() => File.Exists(Path.Combine(_dir, "calls")) ? File.ReadAllLines(Path.Combine(_dir, "calls")) : [];

    [Test]
    public async Task Askari_joins_once_with_the_key_file_and_prints_only_its_mesh_ip()
    {
        Tools.Require("jq");
        var keyFile = Path.Combine(_dir, "servers.key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");

        var first = await Enrol(keyFile);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Assert.That(first.Stdout, Is.EqualTo("100.90.0.1\n"), "stdout is the askariMeshIp output and nothing else");
        Assert.That(Calls(), Does.Contain($"up --management-url {Url} --setup-key-file {keyFile} --hostname askari"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_dir, "key-read")), Is.EqualTo(Key + "\n"), "netbird read the key from the file");

        var before = Calls().Length;
        var second = await Enrol(keyFile);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);
        Assert.That(second.Stdout, Is.EqualTo("100.90.0.1\n"));
        Assert.That(second.Stderr, Does.Contain("already connected"));
        Assert.That(Calls().Skip(before).Where(c => c.StartsWith("up ", StringComparison.Ordinal)), Is.Empty, "a connected host is not enrolled again");

        foreach (var result in new[] { first, second })
        {
            Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(Key));
        }

        Assert.That(Calls(), Has.None.Contains(Key), "the key is never an argument");
    }

    [Test]
    public async Task A_missing_key_file_fails_before_netbird_is_called()
    {
        var result = await Enrol(Path.Combine(_dir, "absent.key"));
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("no setup key in " + Path.Combine(_dir, "absent.key")));
        Assert.That(Calls(), Is.Empty);
    }
}

using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;
namespace Boma.Infra.Tests.Hosts;

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

    /// <summary>
    /// A contract double of the NetBird v0.72.4 client, as far as the script uses it:
    /// <list type="bullet">
    /// <item><c>up --management-url U</c> stores U with the scheme's default port added (client/internal/profilemanager/config.go, parseURL);
    /// with <c>$state/needs-login</c> the login does not complete (a revoked or used-up key).</item>
    /// <item><c>status --json</c>: <c>daemonStatus</c>, <c>management.{url,connected}</c>, <c>netbirdIp</c> in CIDR form (client/status/status.go, OutputOverview).</item>
    /// <item><c>status --ipv4</c> while NeedsLogin prints the login help text and exits 0 (client/cmd/status.go, needsAuth branch).</item>
    /// <item><c>version</c> prints the bare version (client/cmd/version.go).</item>
    /// </list>
    /// </summary>
    private const string FakeNetbird = """
        #!/usr/bin/env bash
        state="$NB_STUB_STATE"
        printf 'netbird %s\n' "$*" >>"$state/calls"
        case "$1" in
          version) cat "$state/version" 2>/dev/null || echo 0.72.4 ;;
          status)
            if [ -f "$state/url" ] && [ ! -f "$state/needs-login" ]; then
              if [ "${2:-}" = --json ]; then
                printf '{"daemonStatus":"Connected","management":{"url":"%s","connected":true,"error":""},"netbirdIp":"100.90.0.1/16"}\n' "$(cat "$state/url")"
              else
                echo 100.90.0.1
              fi
            elif [ "${2:-}" = --json ]; then
              echo '{"daemonStatus":"NeedsLogin","management":{"url":"","connected":false,"error":""},"netbirdIp":""}'
            else
              printf 'Daemon status: NeedsLogin\n\nRun UP command to log in with SSO (interactive login):\n\n netbird up \n'
            fi ;;
          up)
            cp "$5" "$state/key-read"
            u="$3"; hp="${u#https://}"; hp="${hp%%/*}"
            case "$hp" in *:*) ;; *) u="https://$hp:443" ;; esac
            printf '%s\n' "$u" >"$state/url" ;;
        esac
        """;

    /// <summary>curl, apt-get, apt-mark, gpg: record their calls; curl fails while <c>$state/curl-fails</c> counts down.</summary>
    private const string FakeTool = """
        #!/usr/bin/env bash
        state="$NB_STUB_STATE"
        tool="$(basename "$0")"
        printf '%s %s\n' "$tool" "$*" >>"$state/calls"
        if [ "$tool" = curl ] && [ -f "$state/curl-fails" ]; then
          n="$(cat "$state/curl-fails")"
          if [ "$n" -gt 0 ]; then echo $((n - 1)) >"$state/curl-fails"; exit 7; fi
        fi
        # gpg --dearmor --yes -o OUT: writes OUT (here the key as it came) like the real one, under the caller's umask.
        if [ "$tool" = gpg ]; then out=""; while [ "$#" -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done; cat >"$out"; fi
        exit 0
        """;

    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("boma-enrol-peer-").FullName;
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        Write("netbird", FakeNetbird);
        foreach (var tool in new[] { "curl", "apt-get", "apt-mark", "gpg" })
        {
            Write(tool, FakeTool);
        }

        Directory.CreateDirectory(Path.Combine(_dir, "root", "usr", "share", "keyrings"));
        Directory.CreateDirectory(Path.Combine(_dir, "root", "etc", "apt", "sources.list.d"));
    }

    private void Write(string tool, string text)
    {
        var path = Path.Combine(_dir, "bin", tool);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Task<Tools.Result> Enrol(string keyFile, params string[] extra) => EnrolUnder(null, keyFile, extra);

    // umask: the one the script starts under (a hardened host's login umask is 027); the test process's when null.
    private Task<Tools.Result> EnrolUnder(string? umask, string keyFile, params string[] extra) =>
        Tools.RunAsync(Tools.Require("bash"), [
            .. umask is null ? Array.Empty<string>() : ["-c", $"umask {umask} && exec bash \"$@\"", "bash"],
            Tools.Repo("hosts", "netbird-api", "enrol-peer.sh"), Url, keyFile, "askari", "0.72.4", .. extra], env: new Dictionary<string, string>
            {
                ["PATH"] = $"{Path.Combine(_dir, "bin")}:{Environment.GetEnvironmentVariable("PATH")}",
                ["NB_STUB_STATE"] = _dir,
                ["NB_ROOT"] = Path.Combine(_dir, "root"),
                ["NB_WAIT_TRIES"] = "3",
                ["NB_IP_TRIES"] = "2",
                ["NB_WAIT_SECONDS"] = "0",
            });

    private async Task<string> KeyFile()
    {
        Tools.Require("jq");
        var keyFile = Path.Combine(_dir, "askari.key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");
        return keyFile;
    }

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
        Assert.That(Calls(), Does.Contain($"netbird up --management-url {Url} --setup-key-file {keyFile} --hostname askari"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_dir, "key-read")), Is.EqualTo(Key + "\n"), "netbird read the key from the file");

        var before = Calls().Length;
        var second = await Enrol(keyFile);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);
        Assert.That(second.Stdout, Is.EqualTo("100.90.0.1\n"));
        // The client reports https://netbird.askari.example.org:443: the same coordinator as the configured URL.
        Assert.That(second.Stderr, Does.Contain("already connected"));
        Assert.That(Calls().Skip(before).Where(c => c.StartsWith("netbird up ", StringComparison.Ordinal)), Is.Empty, "a connected host is not enrolled again");

        foreach (var result in new[] { first, second })
        {
            Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(Key));
        }

        Assert.That(Calls(), Has.None.Contains(Key), "the key is never an argument");
    }

    [Test]
    public async Task The_apt_keyring_and_source_are_world_readable_under_the_hardened_umask()
    {
        // Found by the rehearsal: under umask 027 the keyring was 0640 and apt (verifying as _apt) called
        // pkgs.netbird.io "not signed", so askari never joined its own mesh.
        await File.WriteAllTextAsync(Path.Combine(_dir, "version"), "0.70.0\n");
        var result = await EnrolUnder("027", await KeyFile());
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        foreach (var file in new[] { "usr/share/keyrings/netbird-archive-keyring.gpg", "etc/apt/sources.list.d/netbird.list" })
        {
            var mode = File.GetUnixFileMode(Path.Combine(_dir, "root", file));
            Assert.That(mode & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead), $"{file}: {mode}");
        }
    }

    [Test]
    public async Task A_missing_key_file_fails_before_netbird_is_called()
    {
        var result = await Enrol(Path.Combine(_dir, "absent.key"));
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("no setup key in " + Path.Combine(_dir, "absent.key")));
        Assert.That(Calls(), Is.Empty);
    }

    [Test]
    public async Task A_login_that_does_not_complete_is_an_error_not_the_help_text_as_an_address()
    {
        var keyFile = await KeyFile();
        await File.WriteAllTextAsync(Path.Combine(_dir, "needs-login"), string.Empty);
        var result = await Enrol(keyFile);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stdout, Is.Empty, "nothing becomes askariMeshIp");
            Assert.That(result.Stderr, Does.Contain("no mesh IPv4 yet"));
        });
    }

    [Test]
    public async Task It_waits_for_the_coordinator_through_caddy_before_netbird_up()
    {
        var keyFile = await KeyFile();
        await File.WriteAllTextAsync(Path.Combine(_dir, "curl-fails"), "2");
        var result = await Enrol(keyFile);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var calls = Calls().ToList();
        var lastCurl = calls.FindLastIndex(c => c == $"curl -fsS -o /dev/null --max-time 10 {Url}/api/instance");
        var up = calls.FindIndex(c => c.StartsWith("netbird up ", StringComparison.Ordinal));
        Assert.That(calls.Count(c => c.StartsWith("curl -fsS -o /dev/null", StringComparison.Ordinal)), Is.EqualTo(3), "two failures, then an answer");
        Assert.That(lastCurl, Is.LessThan(up));
    }

    [Test]
    public async Task A_coordinator_that_never_answers_stops_before_netbird_up()
    {
        var keyFile = await KeyFile();
        await File.WriteAllTextAsync(Path.Combine(_dir, "curl-fails"), "10");
        var result = await Enrol(keyFile);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Not.Zero);
            Assert.That(result.Stderr, Does.Contain("/api/instance does not answer"));
            Assert.That(Calls(), Has.None.StartsWith("netbird up"));
        });
    }

    [Test]
    public async Task Another_client_version_is_replaced_by_the_pinned_one_and_held()
    {
        var keyFile = await KeyFile();
        await File.WriteAllTextAsync(Path.Combine(_dir, "version"), "0.77.1\n");
        var result = await Enrol(keyFile, "--disable-dns");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That(Calls(), Does.Contain("apt-get install -y -qq --allow-downgrades netbird=0.72.4"));
            Assert.That(Calls(), Does.Contain("apt-mark hold netbird"));
            Assert.That(Calls(), Does.Contain($"netbird up --management-url {Url} --setup-key-file {keyFile} --hostname askari --disable-dns"));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "root", "etc", "apt", "sources.list.d", "netbird.list")), Does.Contain("https://pkgs.netbird.io/debian stable main"));
        });
    }

    [Test]
    public async Task The_pinned_version_already_installed_is_left_alone()
    {
        var keyFile = await KeyFile();
        var result = await Enrol(keyFile);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(Calls(), Has.None.StartsWith("apt-get"));
    }
}

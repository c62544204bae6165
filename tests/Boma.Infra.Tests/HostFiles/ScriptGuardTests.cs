using System.Runtime.Versioning;
using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The guards in bootstrap/lib.sh that keep a script from touching the wrong machine or running half-configured.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class ScriptGuardTests
{
    private static string WriteScript(string template)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("boma-guard-").FullName, "script.sh");
        File.WriteAllText(path, HostTemplates.Render(template, HostSamples.Templates[template]));
        File.SetUnixFileMode(Path.GetDirectoryName(path)!, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    [Test]
    public void Production_mode_refuses_to_run_without_root()
    {
        var script = WriteScript("bootstrap/sshd.sh.tmpl");
        try
        {
            // Runs as nobody with no BOMA_ROOT: the script must stop at its first check, before any change.
            var setpriv = HostTool.Require("setpriv", "util-linux");
            var run = HostTool.Run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", script]);
            Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
            Assert.That(run.Stderr, Does.Contain("run as root"));
            Assert.That(run.Stdout, Does.Not.Contain("changed"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        }
    }

    [TestCase("relative/root", "must be an existing absolute directory")]
    [TestCase("/", "must be an existing absolute directory")]
    public void Test_mode_needs_a_real_sandbox_root(string root, string error)
    {
        var script = WriteScript("bootstrap/base.sh.tmpl");
        try
        {
            var run = HostTool.Run(HostTool.Require("bash", "bash"), [script], new Dictionary<string, string> { ["BOMA_ROOT"] = root });
            Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
            Assert.That(run.Stderr, Does.Contain(error));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        }
    }

    [Test]
    public void Test_mode_without_stub_tools_never_calls_the_real_ones()
    {
        var script = WriteScript("bootstrap/base.sh.tmpl");
        var root = Directory.CreateTempSubdirectory("boma-guard-root-").FullName;
        try
        {
            var run = HostTool.Run(HostTool.Require("bash", "bash"), [script], new Dictionary<string, string> { ["BOMA_ROOT"] = root });
            Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
            Assert.That(run.Stderr, Does.Contain("BOMA_STUB_BIN must name the directory of stub tools"));
            Assert.That(Directory.EnumerateFileSystemEntries(root), Is.Empty);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
            Directory.Delete(root, recursive: true);
        }
    }
}

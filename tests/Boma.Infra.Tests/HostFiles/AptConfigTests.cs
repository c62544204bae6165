using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>/etc/apt/apt.conf.d/20auto-upgrades as installed by the base script, parsed by apt itself.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class AptConfigTests
{
    [Test]
    public void Auto_upgrades_file_parses_and_turns_both_periodic_jobs_on()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/base.sh.tmpl", HostSamples.Base);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Calls, Has.Some.Match(@"^apt-get install .*\bunattended-upgrades\b.*\bhtop jq$"));

        var file = Path.Combine(box.Root, "etc/apt/apt.conf.d/20auto-upgrades");
        var dump = HostTool.Run(HostTool.Require("apt-config", "apt"), ["-c", file, "dump"]);
        Assert.That(dump.ExitCode, Is.Zero, dump.ToString());
        Assert.That(dump.Stdout.Split('\n'), Does.Contain("APT::Periodic::Update-Package-Lists \"1\";"));
        Assert.That(dump.Stdout.Split('\n'), Does.Contain("APT::Periodic::Unattended-Upgrade \"1\";"));
    }
}

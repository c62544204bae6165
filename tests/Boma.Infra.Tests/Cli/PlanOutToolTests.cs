// CA1861: expected values read best inline in the assertion; built once per test.
#pragma warning disable CA1861

using Boma.Infra.Tests.HostFiles;
using NUnit.Framework;

namespace Boma.Infra.Tests.Cli;

/// <summary>
/// The host files `plan offsite --out` writes from the real Pulumi.offsite.yaml are checked with the real
/// tools (the template tests check samples; this checks what the stack actually renders).
/// </summary>
[TestFixture]
public class PlanOutToolTests
{
    private string outDir = "";

    [OneTimeSetUp]
    public async Task RenderOnce()
    {
        outDir = Path.Combine(Path.GetTempPath(), "boma-out-tools-" + Guid.NewGuid().ToString("N"));
        var (exit, _, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--out", outDir);
        Assert.That(exit, Is.EqualTo(0), stderr);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    [Test]
    public void Cloud_init_user_data_passes_the_cloud_init_schema()
    {
        var tool = HostTool.Require("cloud-init", "cloud-init");
        var result = HostTool.Run(tool, ["schema", "--config-file", Path.Combine(outDir, "askari", "cloud-init", "user-data.yaml")]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
    }

    [Test]
    public void Bootstrap_scripts_pass_shellcheck()
    {
        var tool = HostTool.Require("shellcheck", "shellcheck");
        var scripts = Directory.GetFiles(Path.Combine(outDir, "askari", "bootstrap"), "*.sh").Order(StringComparer.Ordinal).ToList();
        Assert.That(scripts.Select(Path.GetFileName), Is.EquivalentTo(new[] { "base.sh", "baseline.sh", "sshd.sh", "fail2ban.sh", "nftables.sh", "journald.sh", "apparmor.sh", "docker.sh", "updates.sh", "auditd.sh", "aide.sh" }));
        var result = HostTool.Run(tool, ["--shell=bash", .. scripts]);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
    }
}

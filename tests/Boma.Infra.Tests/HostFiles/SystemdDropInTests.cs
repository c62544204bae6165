using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The nftables.service drop-in, loaded by `systemd-analyze verify` on top of the packaged unit.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class SystemdDropInTests
{
    private static ToolResult Verify(string dropIn)
    {
        var analyze = HostTool.Require("systemd-analyze", "systemd");
        HostTool.Require("nft", "nftables");
        const string packaged = "/lib/systemd/system/nftables.service";
        Assert.That(File.Exists(packaged), Is.True, $"install nftables (see .ci/apt-packages.txt): {packaged} is missing");

        var dir = Directory.CreateTempSubdirectory("boma-unit-").FullName;
        try
        {
            File.Copy(packaged, Path.Combine(dir, "nftables.service"));
            Directory.CreateDirectory(Path.Combine(dir, "nftables.service.d"));
            File.WriteAllText(Path.Combine(dir, "nftables.service.d", "10-boma.conf"), dropIn);
            return HostTool.Run(analyze, ["verify", Path.Combine(dir, "nftables.service")],
                new Dictionary<string, string> { ["SYSTEMD_UNIT_PATH"] = dir + ":" });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string InstalledDropIn()
    {
        using var box = new ScriptSandbox();
        var run = box.Run("bootstrap/nftables.sh.tmpl", HostSamples.NftablesAskari);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        return box.ReadFile("/etc/systemd/system/nftables.service.d/10-boma.conf");
    }

    [Test]
    public void Drop_in_verifies_cleanly()
    {
        var result = Verify(InstalledDropIn());
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Not.Contain("10-boma.conf"), result.ToString());
    }

    [Test]
    public void Verify_really_reads_the_drop_in()
    {
        // Guards the test above: a bad key in the same drop-in must be reported.
        var result = Verify(InstalledDropIn() + "NoSuchKey=1\n");
        Assert.That(result.Stderr, Does.Contain("10-boma.conf").And.Contain("NoSuchKey"), result.ToString());
    }
}

using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Rehearsal.Doubles;

/// <summary>The lab's scripts (lynis-audit.sh: LynisAuditTests), build-images.sh, the netbird client double and the doubles' test drivers pass shellcheck.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DoubleScriptTests
{
    private static readonly string[] Scripts =
    [
        "rehearsal/lab/lab.sh",
        "rehearsal/lab/import-images.sh",
        "rehearsal/lab/seed-caddy-certs.sh",
        "rehearsal/doubles/build-images.sh",
        "rehearsal/doubles/netbird-client/netbird",
        "tests/Boma.Infra.Tests/Rehearsal/Doubles/enrol-e2e.sh",
        "tests/Boma.Infra.Tests/Rehearsal/Doubles/caddy-e2e.sh",
    ];

    [TestCaseSource(nameof(Scripts))]
    public async Task Script_passes_shellcheck(string script)
    {
        var path = Tools.Repo(script.Split('/'));
        Assert.That(File.Exists(path), Is.True, script);
        var result = await Tools.RunAsync(Tools.Require("shellcheck"), ["-x", "--severity=style", Path.GetFileName(path)], workDir: Path.GetDirectoryName(path));
        Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr);
    }

    [Test]
    public async Task Build_images_refuses_a_rootfs_that_is_not_trixie_before_touching_anything()
    {
        var dir = Directory.CreateTempSubdirectory("boma-build-images-").FullName;
        try
        {
            var rootfs = Path.Combine(dir, "rootfs");
            Directory.CreateDirectory(Path.Combine(rootfs, "usr", "bin"));
            Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
            File.WriteAllText(Path.Combine(rootfs, "usr", "bin", "apt-get"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(rootfs, "usr", "bin", "apt-get"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(rootfs, "etc", "debian_version"), "12.11\n");
            var result = await Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("rehearsal", "doubles", "build-images.sh"), rootfs, Path.Combine(dir, "out")]);
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Stderr, Does.Contain("run as root").Or.Contain("is not Debian 13 trixie (etc/debian_version: 12.11)"));
            Assert.That(Directory.Exists(Path.Combine(dir, "out")), Is.False, "nothing written");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

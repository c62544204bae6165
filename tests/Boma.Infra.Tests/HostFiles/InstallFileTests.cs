using System.Runtime.Versioning;
using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>
/// hosts/README.md: install_file creates a file owner-only before giving it its mode, so a 0600 secret is never
/// briefly world-readable. Run under umask 000 (the worst a caller could leave), with chmod wrapped to record the
/// mode each file has at the moment it is given its final one.
/// </summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class InstallFileTests
{
    private static readonly string[] FinalModes = ["600", "644"];

    [Test]
    public void A_secret_file_is_owner_only_before_it_gets_its_mode()
    {
        var dir = Directory.CreateTempSubdirectory("boma-install-").FullName;
        try
        {
            var root = Directory.CreateDirectory(Path.Combine(dir, "root")).FullName;
            var stubs = Directory.CreateDirectory(Path.Combine(dir, "stubs")).FullName;
            var log = Path.Combine(dir, "modes.log");
            var script = Path.Combine(dir, "t.sh");
            File.WriteAllText(script, $$"""
                set -euo pipefail
                source '{{Path.Combine(HostTemplates.Root, "bootstrap", "lib.sh")}}'
                chmod() { local a; for a in "$@"; do if [[ -f "$a" ]]; then stat -c '%a %n' "$a" >> '{{log}}'; fi; done; command chmod "$@"; }
                umask 000
                printf 'secret\n' | install_file /etc/boma/secret.env 0600
                printf 'public\n' | install_file /etc/boma/public.conf 0644
                stat -c '%a' "$BOMA_ROOT/etc/boma/secret.env" "$BOMA_ROOT/etc/boma/public.conf"
                """);
            var run = HostTool.Run(HostTool.Require("bash", "bash"), [script], new Dictionary<string, string> { ["BOMA_ROOT"] = root, ["BOMA_STUB_BIN"] = stubs });
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var modes = File.ReadAllLines(log);
            Assert.Multiple(() =>
            {
                // Both files were given their mode once (so the check below is not vacuous), from owner-only.
                Assert.That(modes, Has.Length.EqualTo(2), string.Join('\n', modes));
                Assert.That(modes, Has.All.StartWith("600 "), "the new file existed with a wider mode than owner-only");
                Assert.That(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(2), Is.EqualTo(FinalModes));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

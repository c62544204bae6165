using NUnit.Framework;
using System.Runtime.Versioning;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The /etc/hosts pin: exactly one line for the name, old pins replaced in place, other lines kept.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class HostsPinTests
{
    private const UnixFileMode Mode644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Test]
    public void Stale_pins_are_replaced_in_place_and_everything_else_is_kept()
    {
        using var box = new ScriptSandbox();
        box.Seed("etc/hosts", """
            127.0.0.1	localhost
            198.51.100.7 netbird.askari.example.org # old address
            127.0.1.1	askari.example.org askari
              10.0.0.9 other netbird.askari.example.org
            # netbird.askari.example.org in a comment stays
            ::1		localhost ip6-localhost ip6-loopback

            """, Mode644);

        var run = box.Run("bootstrap/hosts-pin.sh.tmpl", HostSamples.HostsPin);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(box.ReadFile("/etc/hosts"), Is.EqualTo("""
            127.0.0.1	localhost
            203.0.113.10 netbird.askari.example.org
            127.0.1.1	askari.example.org askari
            # netbird.askari.example.org in a comment stays
            ::1		localhost ip6-localhost ip6-loopback

            """));
        Assert.That(File.GetUnixFileMode(Path.Combine(box.Root, "etc/hosts")), Is.EqualTo(Mode644));

        var again = box.Run("bootstrap/hosts-pin.sh.tmpl", HostSamples.HostsPin);
        Assert.That(again.Changed, Is.Empty, again.ToString());
    }

    [Test]
    public void Pin_is_appended_and_also_written_to_the_cloud_init_hosts_template()
    {
        using var box = new ScriptSandbox();
        box.Seed("etc/cloud/templates/hosts.debian.tmpl", "## template:jinja\n127.0.1.1 {{fqdn}} {{hostname}}\n127.0.0.1 localhost\n", Mode644);
        var run = box.Run("bootstrap/hosts-pin.sh.tmpl", HostSamples.HostsPin);
        Assert.That(run.Result.ExitCode, Is.Zero, run.ToString());
        Assert.That(box.ReadFile("/etc/hosts"), Does.EndWith("localhost ip6-localhost ip6-loopback\n203.0.113.10 netbird.askari.example.org\n"));
        Assert.That(box.ReadFile("/etc/cloud/templates/hosts.debian.tmpl"),
            Is.EqualTo("## template:jinja\n127.0.1.1 {{fqdn}} {{hostname}}\n127.0.0.1 localhost\n203.0.113.10 netbird.askari.example.org\n"));
        Assert.That(run.Changed, Has.Count.EqualTo(2));
    }

    [TestCase("pin_address", "127.0.0.1 evil")]
    [TestCase("pin_address", "127.0.0.1")]
    [TestCase("pin_address", "127.1.2.3")]
    [TestCase("pin_address", "0.0.0.0")]
    [TestCase("pin_address", "::1")]
    [TestCase("pin_address", "::")]
    [TestCase("pin_fqdn", "netbird")]
    public void Bad_values_are_rejected(string key, string value)
    {
        var values = new Dictionary<string, string>(HostSamples.HostsPin) { [key] = value };
        Assert.That(() => Boma.Infra.Hosts.HostTemplates.Render("bootstrap/hosts-pin.sh.tmpl", values),
            Throws.ArgumentException.With.Message.Contain($"'{key}'"));
    }
}

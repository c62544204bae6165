// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using System.Text.Json.Nodes;
using Boma.Infra.Config;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Stacks;
using NUnit.Framework;

namespace Boma.Infra.Tests.Config;

/// <summary><c>boma:updates.rebootWindow</c> (both stacks) and a cluster VM's own <c>rebootWindow</c>: defaults, bad values, DNS VMs apart.</summary>
[TestFixture]
public sealed class UpdatePolicyTests
{
    private static OffsiteConfig Offsite(Action<Dictionary<string, string>>? edit = null)
    {
        var values = ValidConfig.Values();
        edit?.Invoke(values);
        return OffsiteConfigLoader.Load(new DictionaryConfigSource(values, ValidConfig.SecretKeys()));
    }

    private static IReadOnlyList<ConfigError> OffsiteErrors(Action<Dictionary<string, string>> edit) =>
        Assert.Throws<ConfigValidationException>(() => Offsite(edit))!.Errors;

    private static ClusterConfig Cluster(Action<Dictionary<string, string>>? edit = null)
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        edit?.Invoke(config);
        return ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets));
    }

    private static IReadOnlyList<ConfigError> ClusterErrors(Action<Dictionary<string, string>> edit) =>
        Assert.Throws<ConfigValidationException>(() => Cluster(edit))!.Errors;

    private static Action<Dictionary<string, string>> VmWindow(int index, JsonNode? value) => config =>
    {
        var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
        vms[index]!["rebootWindow"] = value;
        config["boma:vms"] = vms.ToJsonString();
    };

    [Test]
    public void Offsite_defaults_to_an_off_peak_window_and_reads_one()
    {
        Assert.That(Offsite().Updates.RebootWindow, Is.EqualTo("04:00"));
        Assert.That(Offsite(v => v["updates"] = "{\"rebootWindow\": \" 02:30 \"}").Updates.RebootWindow, Is.EqualTo("02:30"));
        var off = Offsite(v => v["updates"] = "{\"rebootWindow\": \"off\"}").Updates;
        Assert.That((off.RebootWindow, off.AutomaticReboot), Is.EqualTo(("off", false)));
    }

    [TestCase("{\"rebootWindow\": \"4am\"}", "boma:updates.rebootWindow", "'4am' is not a reboot window")]
    [TestCase("{\"rebootWindow\": \"24:00\"}", "boma:updates.rebootWindow", "'24:00' is not a reboot window")]
    [TestCase("{\"rebootWindow\": \"04:60\"}", "boma:updates.rebootWindow", "'04:60' is not a reboot window")]
    [TestCase("{\"rebootWindow\": \"4:00\"}", "boma:updates.rebootWindow", "'4:00' is not a reboot window")]
    [TestCase("{\"rebootWindow\": \"Off\"}", "boma:updates.rebootWindow", "'Off' is not a reboot window")]
    [TestCase("{\"rebootWindow\": 400}", "boma:updates.rebootWindow", "400 is not a reboot window (HH:MM or off, as a string)")]
    [TestCase("{\"rebootWindow\": [\"04:00\"]}", "boma:updates.rebootWindow", "is not a reboot window")]
    [TestCase("\"04:00\"", "boma:updates", "is not an object")]
    public void Offsite_refuses_a_bad_window_naming_the_key_and_the_fix(string raw, string key, string problem)
    {
        var error = OffsiteErrors(v => v["updates"] = raw).Single();
        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Problem, Does.Contain(problem));
        Assert.That(error.Fix, Does.Contain("pulumi config set").And.Contain("-s offsite").And.Contain("04:00"));
    }

    [Test]
    public void A_misspelt_field_is_refused_with_a_suggestion_in_both_stacks()
    {
        foreach (var stack in new[] { ConfigSchema.Offsite, ConfigSchema.Cluster })
        {
            var errors = ConfigSchema.Check(stack, new Dictionary<string, string> { ["boma:updates"] = "{\"rebootWindo\": \"04:00\"}" }, new HashSet<string>());
            Assert.That(errors.Single().Key, Is.EqualTo("boma:updates.rebootWindo"), stack);
            Assert.That(errors.Single().Problem, Does.Contain("did you mean 'rebootWindow'"), stack);
        }

        var vm = ConfigSchema.Check(ConfigSchema.Cluster, new Dictionary<string, string> { ["boma:vms"] = "[{\"name\": \"a\", \"rebootwindow\": \"04:00\"}]" }, new HashSet<string>());
        Assert.That(vm.Single().Problem, Does.Contain("did you mean 'rebootWindow'"));
    }

    [Test]
    public void The_cluster_example_spreads_its_dns_vms_an_hour_apart()
    {
        var cluster = Cluster();
        Assert.That(cluster.Vms.Select(v => (v.Name, v.Role, v.RebootWindow)), Is.EqualTo(new[]
        {
            ("mlinzi1", "dns", "04:00"),
            ("mlinzi2", "dns", "05:00"),
            ("ghala", "storage", "04:00"),
            ("kazi1", "docker", "04:00"),
        }));
    }

    [Test]
    public void The_stack_window_moves_every_vm_and_wraps_at_midnight()
    {
        var cluster = Cluster(c => c["boma:updates"] = "{\"rebootWindow\": \"23:30\"}");
        Assert.That(cluster.Vms.Select(v => v.RebootWindow), Is.EqualTo(new[] { "23:30", "00:30", "23:30", "23:30" }));
        Assert.That(UpdatePolicy.Overlap("23:30", "00:10"), Is.True, "windows overlap across midnight");
        Assert.That(UpdatePolicy.Overlap("23:30", "00:30"), Is.False);
    }

    [Test]
    public void A_vm_may_have_its_own_window_or_none()
    {
        var cluster = Cluster(c =>
        {
            VmWindow(1, "02:00")(c);
            VmWindow(3, "off")(c);
        });
        Assert.That(cluster.Vms.Select(v => v.RebootWindow), Is.EqualTo(new[] { "04:00", "02:00", "04:00", "off" }));

        var allOff = Cluster(c => c["boma:updates"] = "{\"rebootWindow\": \"off\"}");
        Assert.That(allOff.Vms.Select(v => v.RebootWindow), Is.All.EqualTo("off"));
    }

    [TestCase("04:00")]
    [TestCase("04:59")]
    [TestCase("03:01")]
    public void Two_dns_vms_in_the_same_window_are_refused(string window)
    {
        var error = ClusterErrors(VmWindow(1, window)).Single();
        Assert.That(error.Key, Is.EqualTo("boma:vms[1].rebootWindow"));
        Assert.That(error.Problem, Does.Contain($"mlinzi2's reboot window {window} overlaps mlinzi1's (04:00, boma:vms[0])").And.Contain("both DNS VMs"));
        Assert.That(error.Fix, Is.EqualTo("pulumi config set -s cluster --path 'boma:vms[1].rebootWindow' 05:00"));
    }

    [Test]
    public void Non_dns_vms_may_share_a_window_and_a_dns_vm_that_never_reboots_clashes_with_none()
    {
        Assert.DoesNotThrow(() => Cluster(VmWindow(3, "04:00")));
        Assert.DoesNotThrow(() => Cluster(c =>
        {
            VmWindow(0, "off")(c);
            VmWindow(1, "04:00")(c);
        }));
    }

    [Test]
    public void A_bad_vm_window_names_the_vm_key()
    {
        var error = ClusterErrors(VmWindow(2, "noon")).Single();
        Assert.That(error.Key, Is.EqualTo("boma:vms[2].rebootWindow"));
        Assert.That(error.Problem, Does.Contain("'noon' is not a reboot window"));
        Assert.That(error.Fix, Does.Contain("-s cluster").And.Contain("'boma:vms[2].rebootWindow'"));
    }
}

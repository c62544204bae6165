// Expected-value arrays in assertions run once per test; hoisting them to fields would only hide them.
#pragma warning disable CA1861
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Tests.HostFiles;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Components;

[TestFixture]
public sealed class ClusterInventoryRendererTests
{
    private string _dir = null!;

    private static ClusterConfig ExampleConfig()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        return ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets));
    }

    private static ClusterInventory Example() => ClusterInventory.From(ExampleConfig());

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("boma-cluster-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void TheInventoryHasOneEntryPerVmWithItsNames()
    {
        var inventory = Example();

        Assert.That(inventory.Hosts.Select(h => h.Host), Is.EqualTo(new[] { "mlinzi1", "mlinzi2", "ghala", "kazi1" }));
        var ghala = inventory.Hosts[2];
        Assert.That(ghala, Is.EqualTo(new ClusterInventoryHost("ghala", "ghala.boma.example.net", "192.168.20.21",
            "ghala.boma.example.net", "storage", "pve1", 2021)));
        Assert.That(ghala.ToOutput()["meshName"], Is.EqualTo("ghala.boma.example.net"));
    }

    [Test]
    public void TheAnsibleInventoryParsesBackWithOneGroupPerRole()
    {
        var text = ClusterInventoryRenderer.AnsibleInventory(Example());
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));

        var all = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["all"];
        Assert.That(((YamlScalarNode)((YamlMappingNode)all["vars"])["ansible_user"]).Value, Is.EqualTo("kim"));
        var children = (YamlMappingNode)all["children"];
        Assert.That(children.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.EqualTo(new[] { "dns", "storage", "docker" }));
        var dnsHosts = (YamlMappingNode)((YamlMappingNode)children["dns"])["hosts"];
        Assert.That(dnsHosts.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.EqualTo(new[] { "mlinzi1", "mlinzi2" }));
        var mlinzi2 = (YamlMappingNode)dnsHosts["mlinzi2"];
        Assert.That(((YamlScalarNode)mlinzi2["ansible_host"]).Value, Is.EqualTo("192.168.20.12"));
        Assert.That(((YamlScalarNode)mlinzi2["boma_fqdn"]).Value, Is.EqualTo("mlinzi2.boma.example.net"));
        Assert.That(((YamlScalarNode)mlinzi2["boma_mesh_name"]).Value, Is.EqualTo("mlinzi2.boma.example.net"));
        Assert.That(((YamlScalarNode)mlinzi2["boma_vmid"]).Value, Is.EqualTo("2012"));
        Assert.That(text, Does.StartWith("# Ansible inventory of the boma home cluster"));
        Assert.That(text, Does.Not.Contain("@param"));
    }

    [Test]
    public void AnsibleReadsTheInventory()
    {
        var file = Path.Combine(_dir, "inventory.yaml");
        File.WriteAllText(file, ClusterInventoryRenderer.AnsibleInventory(Example()));

        var (exit, stdout, stderr) = HostTool.Run(HostTool.Require("ansible-inventory", "ansible-core"), ["-i", file, "--list"], new Dictionary<string, string>
        {
            ["HOME"] = _dir,
            ["ANSIBLE_LOCAL_TEMP"] = Path.Combine(_dir, "tmp"),
            ["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "true",
            ["ANSIBLE_NOCOLOR"] = "1",
        });

        Assert.That(exit, Is.Zero, stderr);
        Assert.That(stderr, Does.Not.Contain("WARNING"), "ansible should read every group and host without a warning");
        var list = JsonNode.Parse(stdout)!;
        Assert.That(list["storage"]!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()), Is.EqualTo(new[] { "ghala" }));
        Assert.That(list["dns"]!["hosts"]!.AsArray().Select(h => h!.GetValue<string>()), Is.EqualTo(new[] { "mlinzi1", "mlinzi2" }));
        var kazi1 = list["_meta"]!["hostvars"]!["kazi1"]!;
        Assert.That(kazi1["ansible_host"]!.GetValue<string>(), Is.EqualTo("192.168.20.31"));
        Assert.That(kazi1["ansible_user"]!.GetValue<string>(), Is.EqualTo("kim"));
        Assert.That(kazi1["boma_vmid"]!.GetValue<int>(), Is.EqualTo(2031));
    }

    [Test]
    public void AHostOrRoleThatYamlWouldReadAsABooleanStaysAString()
    {
        var inventory = Example() with
        {
            Hosts = [new ClusterInventoryHost("no", "no.boma.example.net", "192.168.20.40", "no.netbird.selfhosted", "on", "pve1", 2040)],
        };
        var yaml = new YamlStream();
        yaml.Load(new StringReader(ClusterInventoryRenderer.AnsibleInventory(inventory)));

        var children = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["all"])["children"];
        var group = (YamlScalarNode)children.Children.Keys.Single();
        Assert.That(group.Style, Is.EqualTo(YamlDotNet.Core.ScalarStyle.DoubleQuoted));
        var host = (YamlScalarNode)((YamlMappingNode)((YamlMappingNode)children["on"])["hosts"]).Children.Keys.Single();
        Assert.That(host.Style, Is.EqualTo(YamlDotNet.Core.ScalarStyle.DoubleQuoted));
    }

    [Test]
    public void TheZoneFragmentHasAHeaderAndOneARecordPerVm()
    {
        var text = ClusterInventoryRenderer.ZoneFragment(Example());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines.TakeWhile(l => l.StartsWith(';')).Count(), Is.GreaterThanOrEqualTo(2));
        Assert.That(lines[0], Does.Contain("boma.example.net"));
        var records = lines.Where(l => !l.StartsWith(';')).ToArray();
        Assert.That(records, Is.EqualTo(new[]
        {
            "mlinzi1.boma.example.net. 300 IN A 192.168.20.11",
            "mlinzi2.boma.example.net. 300 IN A 192.168.20.12",
            "ghala.boma.example.net. 300 IN A 192.168.20.21",
            "kazi1.boma.example.net. 300 IN A 192.168.20.31",
        }));
    }

    [Test]
    public void NamedCheckzoneLoadsAZoneThatIncludesTheFragment()
    {
        var fragment = Path.Combine(_dir, "boma-cluster.fragment");
        File.WriteAllText(fragment, ClusterInventoryRenderer.ZoneFragment(Example()));
        var zone = Path.Combine(_dir, "db.boma.example.net");
        File.WriteAllText(zone, string.Join('\n',
            "$ORIGIN boma.example.net.",
            "$TTL 300",
            "@ IN SOA mlinzi1.boma.example.net. hostmaster.example.net. 1 3600 600 604800 300",
            "@ IN NS mlinzi1.boma.example.net.",
            "@ IN NS mlinzi2.boma.example.net.",
            $"$INCLUDE {fragment}",
            ""));

        var (exit, stdout, stderr) = HostTool.Run(HostTool.Require("named-checkzone", "bind9-utils"), ["-D", "-o", "-", "boma.example.net", zone]);

        Assert.That(exit, Is.Zero, stdout + stderr);
        var loaded = Regex.Matches(stdout, @"^(\S+)\s+300\s+IN\s+A\s+(\S+)$", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToArray();
        Assert.That(loaded, Is.EquivalentTo(new[]
        {
            "mlinzi1.boma.example.net. 192.168.20.11", "mlinzi2.boma.example.net. 192.168.20.12",
            "ghala.boma.example.net. 192.168.20.21", "kazi1.boma.example.net. 192.168.20.31",
        }));
    }

    [Test]
    public void NamedCheckzoneRejectsAFragmentWithADuplicateName()
    {
        // The check is real: the same name with a CNAME next to its A record must fail to load.
        var fragment = Path.Combine(_dir, "boma-cluster.fragment");
        File.WriteAllText(fragment, ClusterInventoryRenderer.ZoneFragment(Example()) + "ghala.boma.example.net. 300 IN CNAME kazi1.boma.example.net.\n");
        var zone = Path.Combine(_dir, "db.boma.example.net");
        File.WriteAllText(zone, $"$TTL 300\n@ IN SOA mlinzi1 hostmaster.example.net. 1 3600 600 604800 300\n@ IN NS mlinzi1\n$INCLUDE {fragment}\n");

        var (exit, _, _) = HostTool.Run(HostTool.Require("named-checkzone", "bind9-utils"), ["boma.example.net", zone]);

        Assert.That(exit, Is.Not.Zero);
    }
}

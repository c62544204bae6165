// Expected-value arrays in assertions run once per test; hoisting them to fields would only hide them.
#pragma warning disable CA1861
using NUnit.Framework;
using System.Net;
using System.Text.Json.Nodes;
using Boma.Infra.Config;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Config;

[TestFixture]
public sealed class ClusterConfigTests
{
    private const string Token = "boma@pve!pulumi=00000000-1111-2222-3333-444444444444";

    private static ClusterConfig Parse(Dictionary<string, string> config, ISet<string> secretKeys) =>
        ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secretKeys));

    private static IReadOnlyList<ConfigError> Errors(Dictionary<string, string> config, ISet<string>? secretKeys = null)
    {
        var ex = Assert.Throws<ConfigValidationException>(() => Parse(config, secretKeys ?? ClusterStackConfigFile.SecretKeys));
        return ex!.Errors;
    }

    /// <summary>The example file with one VM field changed (JSON value text).</summary>
    private static Dictionary<string, string> WithVm(int index, string field, JsonNode? value)
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
        vms[index]![field] = value;
        config["boma:vms"] = vms.ToJsonString();
        return config;
    }

    private static Dictionary<string, string> WithObjectField(string key, string field, JsonNode? value)
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        var obj = JsonNode.Parse(config[key])!.AsObject();
        obj[field] = value;
        config[key] = obj.ToJsonString();
        return config;
    }

    [Test]
    public void TheExampleStackFileIsValid()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        var cluster = Parse(config, secrets);

        Assert.That(cluster.Domain, Is.EqualTo("example.net"));
        Assert.That(cluster.InternalZone, Is.EqualTo("boma.example.net"));
        Assert.That(cluster.Proxmox.Nodes, Is.EqualTo(new[] { "pve1", "pve2" }));
        Assert.That(cluster.Proxmox.Endpoint, Is.EqualTo(new Uri("https://pve1.home.arpa:8006/")));
        Assert.That(cluster.Network.Subnet.ToString(), Is.EqualTo("192.168.20.0/24"));
        Assert.That(cluster.Network.Gateway, Is.EqualTo(IPAddress.Parse("192.168.20.1")));
        Assert.That(cluster.Image.FileName, Is.EqualTo("debian-13-genericcloud-amd64.qcow2"));
        Assert.That(cluster.Vms.Select(v => v.Name), Is.EqualTo(new[] { "mlinzi1", "mlinzi2", "ghala", "kazi1" }));
        Assert.That(cluster.Vms[2].Tags, Is.EqualTo(new[] { "backup", "restic" }));
        Assert.That(cluster.Mesh.SetupKeyOutput, Is.EqualTo("serversSetupKey"));
        Assert.That(cluster.Network.SshSources, Is.EqualTo(new[] { "192.168.20.0/24", "192.168.10.0/24" }));
        Assert.That(cluster.Proxmox.SnippetDatastore, Is.EqualTo("local"));
        Assert.That(cluster.Fqdn(cluster.Vms[0]), Is.EqualTo("mlinzi1.boma.example.net"));
    }

    [Test]
    public void TheExampleStackFileHoldsNoSecret()
    {
        var text = File.ReadAllText(Path.Combine(ClusterStackConfigFile.RepositoryRoot, "Pulumi.cluster.yaml"));
        Assert.That(text, Does.Not.Contain("proxmoxApiToken:"));
        Assert.That(text, Does.Not.Contain("sshPrivateKey:"));
        Assert.That(text, Does.Not.Contain("PRIVATE KEY"));
    }

    [Test]
    public void OptionalKeysTakeTheirDocumentedDefaults()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        config.Remove("boma:mesh");
        var proxmox = JsonNode.Parse(config["boma:proxmox"])!.AsObject();
        proxmox.Remove("datastore");
        proxmox.Remove("imageDatastore");
        proxmox.Remove("cpuType");
        proxmox.Remove("insecure");
        proxmox.Remove("snippetDatastore");
        proxmox.Remove("sshUsername");
        config["boma:proxmox"] = proxmox.ToJsonString();
        var network = JsonNode.Parse(config["boma:network"])!.AsObject();
        network.Remove("sshSources");
        config["boma:network"] = network.ToJsonString();

        var cluster = Parse(config, secrets);

        Assert.That(cluster.Proxmox.Datastore, Is.EqualTo("local-lvm"));
        Assert.That(cluster.Proxmox.ImageDatastore, Is.EqualTo("local"));
        Assert.That(cluster.Proxmox.CpuType, Is.EqualTo("x86-64-v2-AES"));
        Assert.That(cluster.Proxmox.Insecure, Is.False);
        Assert.That(cluster.Proxmox.SnippetDatastore, Is.EqualTo("local"));
        Assert.That(cluster.Proxmox.SshUsername, Is.EqualTo("root"));
        Assert.That(cluster.Network.SshSources, Is.EqualTo(new[] { "192.168.20.0/24" }));
        Assert.That(cluster.Mesh, Is.EqualTo(new ClusterMeshSettings(null, "serversSetupKey", ClusterBootstrapPath.Lan, "boma.example.net", "netbird.askari.example.net")));
    }

    [Test]
    public void AMissingApiTokenIsAnError()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config.Remove("boma:proxmoxApiToken");

        var errors = Errors(config, new HashSet<string> { "boma:sshPrivateKey" });

        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "boma:proxmoxApiToken" }));
        Assert.That(errors[0].Fix, Does.Contain("--secret"));
    }

    [Test]
    public void AnApiTokenInPlainTextIsAnErrorThatDoesNotEchoIt()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();

        var ex = Assert.Throws<ConfigValidationException>(() => Parse(config, new HashSet<string> { "boma:sshPrivateKey" }));

        Assert.That(ex!.Errors.Single().Key, Is.EqualTo("boma:proxmoxApiToken"));
        Assert.That(ex.Errors.Single().Problem, Does.Contain("plain text"));
        Assert.That(ex.Message, Does.Not.Contain("00000000-1111"));
    }

    [Test]
    public void DuplicateNamesVmIdsAndAddressesEachNameTheKeyAndTheFirstUse()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
        vms[3]!["name"] = "mlinzi1";
        vms[3]!["vmid"] = 2011;
        vms[2]!["address"] = "192.168.20.12";
        config["boma:vms"] = vms.ToJsonString();

        var errors = Errors(config);

        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[] { "boma:vms[3].name", "boma:vms[3].vmid", "boma:vms[2].address" }));
        Assert.That(errors.Single(e => e.Key == "boma:vms[3].name").Problem, Does.Contain("boma:vms[0].name"));
        Assert.That(errors.Single(e => e.Key == "boma:vms[2].address").Problem, Does.Contain("boma:vms[1].address"));
    }

    [TestCase("10.0.0.5", "outside boma:network.subnet 192.168.20.0/24")]
    [TestCase("192.168.20.0", "network address")]
    [TestCase("192.168.20.255", "broadcast address")]
    [TestCase("192.168.20.1", "gateway")]
    [TestCase("192.168.20.11/24", "not an IPv4 address")]
    [TestCase("192.168.020.11", "not an IPv4 address")]
    [TestCase("10.1", "not an IPv4 address")]
    [TestCase("fd00::11", "not an IPv4 address")]
    public void AddressesMustBeUsableHostsInsideTheSubnet(string address, string problem)
    {
        var errors = Errors(WithVm(2, "address", address));

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Key, Is.EqualTo("boma:vms[2].address"));
        Assert.That(errors[0].Problem, Does.Contain(problem));
        Assert.That(errors[0].Fix, Does.Contain("pulumi config set -s cluster --path 'boma:vms[2].address'"));
    }

    [TestCase(99)]
    [TestCase(0)]
    [TestCase(1_000_000_000)]
    public void VmIdsOutsideProxmoxsRangeAreRejected(int vmid)
    {
        var errors = Errors(WithVm(0, "vmid", vmid));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:vms[0].vmid"));
        Assert.That(errors.Single().Problem, Does.Contain("100-999999999"));
    }

    [TestCase(100)]
    [TestCase(999_999_999)]
    public void VmIdsAtTheEdgesOfTheRangeAreAccepted(int vmid)
    {
        var (_, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        Assert.That(Parse(WithVm(0, "vmid", vmid), secrets).Vms[0].VmId, Is.EqualTo(vmid));
    }

    [TestCase("Mlinzi1")]
    [TestCase("mlinzi_1")]
    [TestCase("-mlinzi")]
    [TestCase("mlinzi-")]
    [TestCase("1mlinzi")]
    [TestCase("mlinzi.one")]
    [TestCase("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd")]
    public void NamesMustBeDnsLabelsStartingWithALetter(string name)
    {
        var errors = Errors(WithVm(1, "name", name));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:vms[1].name"));
    }

    [TestCase("cores")]
    [TestCase("memory")]
    [TestCase("disk")]
    public void SizesMustBePositive(string field)
    {
        var errors = Errors(WithVm(0, field, 0));

        Assert.That(errors.Single().Key, Is.EqualTo($"boma:vms[0].{field}"));
        Assert.That(errors.Single().Problem, Does.Contain("greater than 0"));
    }

    [Test]
    public void ASizeGivenAsTextIsATypeError()
    {
        var errors = Errors(WithVm(0, "memory", "2G"));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:vms[0].memory"));
        Assert.That(errors.Single().Problem, Does.Contain("not a whole number"));
    }

    [Test]
    public void TheNodeMustBeOneOfTheConfiguredNodes()
    {
        var errors = Errors(WithVm(0, "node", "pve9"));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:vms[0].node"));
        Assert.That(errors.Single().Problem, Does.Contain("pve1, pve2"));
    }

    [TestCase("Web")]
    [TestCase("web-server")]
    [TestCase("all")]
    [TestCase("ungrouped")]
    public void RolesMustBeUsableAsAnsibleGroups(string role)
    {
        Assert.That(Errors(WithVm(0, "role", role)).Single().Key, Is.EqualTo("boma:vms[0].role"));
    }

    [Test]
    public void RolesAreFreeForm()
    {
        var (_, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        Assert.That(Parse(WithVm(0, "role", "home_assistant"), secrets).Vms[0].Role, Is.EqualTo("home_assistant"));
    }

    [Test]
    public void TagsMustBeProxmoxTags()
    {
        Assert.That(Errors(WithVm(0, "tags", new JsonArray("ok", "Not Ok"))).Single().Key, Is.EqualTo("boma:vms[0].tags[1]"));
    }

    [TestCase("192.168.20.5/24", "host bits")]
    [TestCase("192.168.20.0", "no prefix")]
    [TestCase("192.168.20.0/31", "no room")]
    [TestCase("192.168.20.0/33", "prefix length")]
    [TestCase("192.168.020.0/24", "leading zero")]
    [TestCase("192.168.20.0/024", "not a CIDR")]
    [TestCase("2001:db8::/64", "not an IPv4 network")]
    public void TheSubnetMustBeANetworkInCidrForm(string subnet, string problem)
    {
        var errors = Errors(WithObjectField("boma:network", "subnet", subnet));

        Assert.That(errors.Select(e => e.Key), Has.Member("boma:network.subnet"));
        Assert.That(errors.Single(e => e.Key == "boma:network.subnet").Problem, Does.Contain(problem));
    }

    [Test]
    public void TheGatewayMustBeInsideTheSubnet()
    {
        var errors = Errors(WithObjectField("boma:network", "gateway", "192.168.21.1"));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:network.gateway"));
    }

    [Test]
    public void ANonHttpsEndpointIsRejected()
    {
        var errors = Errors(WithObjectField("boma:proxmox", "endpoint", "http://pve1:8006/"));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:proxmox.endpoint"));
    }

    [Test]
    public void AnImageFileNameThatProxmoxCannotImportIsRejected()
    {
        var errors = Errors(WithObjectField("boma:image", "fileName", "debian.iso"));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:image.fileName"));
    }

    [Test]
    public void AChecksumNeedsItsAlgorithm()
    {
        var errors = Errors(WithObjectField("boma:image", "checksum", "abc123"));

        Assert.That(errors.Single().Key, Is.EqualTo("boma:image.checksumAlgorithm"));
    }

    [Test]
    public void AnAdminKeyThatIsNotAPublicKeyIsRejected()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config["boma:adminPublicKey"] = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA";

        var errors = Errors(config);

        Assert.That(errors.Single().Key, Is.EqualTo("boma:adminPublicKey"));
        Assert.That(errors.Single().ToString(), Does.Not.Contain("b3BlbnNzaC1rZXktdjEAAAAA"));
    }

    [Test]
    public void RootIsNotAnAdminUser()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config["boma:adminUser"] = "root";

        Assert.That(Errors(config).Single().Key, Is.EqualTo("boma:adminUser"));
    }

    [Test]
    public void EveryProblemIsReportedAtOnce()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config.Remove("boma:domain");
        config.Remove("boma:proxmoxApiToken");
        config.Remove("boma:sshPrivateKey");
        var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
        vms[0]!["cores"] = -1;
        vms[1]!["address"] = "10.9.9.9";
        vms[2]!.AsObject().Remove("role");
        config["boma:vms"] = vms.ToJsonString();

        var ex = Assert.Throws<ConfigValidationException>(() => Parse(config, new HashSet<string>()));

        Assert.That(ex!.Errors.Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "boma:domain", "boma:proxmoxApiToken", "boma:sshPrivateKey", "boma:vms[0].cores", "boma:vms[1].address", "boma:vms[2].role",
        }));
        Assert.That(ex.Message, Does.Contain("6 problems"));
        Assert.That(ex.Message, Does.Contain("nothing was created"));
    }

    // The offsite stack's rule (docs/offsite.md, "Config keys"), for the cluster stack too: every error names its key and a fix that sets that key.
    [Test]
    public void EveryErrorCarriesAFixThatNamesItsKey()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config.Remove("boma:domain");
        config.Remove("boma:proxmoxApiToken");
        var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
        vms[0]!["cores"] = -1;
        vms[1]!["address"] = "10.9.9.9";
        vms[2]!.AsObject().Remove("role");
        vms[3]!["name"] = vms[0]!["name"]!.GetValue<string>();
        vms[3]!["vmid"] = vms[0]!["vmid"]!.GetValue<int>();
        config["boma:vms"] = vms.ToJsonString();
        var network = JsonNode.Parse(config["boma:network"])!.AsObject();
        network["gateway"] = "10.0.0.1";
        config["boma:network"] = network.ToJsonString();

        var errors = Errors(config, new HashSet<string>());

        Assert.That(errors, Has.Count.GreaterThanOrEqualTo(7), string.Join("\n", errors));
        Assert.Multiple(() =>
        {
            foreach (var error in errors)
            {
                Assert.That(error.Fix, Does.StartWith("pulumi config ").And.Contain(error.Key), error.ToString());
                Assert.That(error.Problem, Is.Not.Empty, error.ToString());
            }
        });
    }

    // The hint must build a list: `config set boma:vms '[...]'` would store one quoted string in the stack file.
    [TestCase(null)]
    [TestCase("[]")]
    [TestCase("\"mlinzi1\"")]
    public void TheVmsHintSetsAListFieldByField(string? raw)
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        if (raw is null)
        {
            config.Remove("boma:vms");
        }
        else
        {
            config["boma:vms"] = raw;
        }

        var error = Errors(config).Single(e => e.Key == "boma:vms");

        Assert.That(error.Fix, Does.StartWith("pulumi config set -s cluster --path 'boma:vms[0].name' mlinzi1, then vmid"));
        Assert.That(error.Fix, Does.Not.Contain("boma:vms '["), error.ToString());
        Assert.That(error.Fix, Does.Contain("Pulumi.cluster.yaml"));
    }

    [Test]
    public void MissingBlocksAreNamed()
    {
        var errors = Errors(new Dictionary<string, string>(), new HashSet<string>());

        Assert.That(errors.Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "boma:domain", "boma:proxmox", "boma:proxmoxApiToken", "boma:image", "boma:network", "boma:adminUser", "boma:adminPublicKey",
            "boma:sshPrivateKey", "boma:vms",
        }));
    }

    [Test]
    public void SshSourcesAreCidrsButNeverTheWholeInternet()
    {
        var errors = Errors(WithObjectField("boma:network", "sshSources", new JsonArray("192.168.10.0/24", "0.0.0.0/0", "10.0.0.1")));

        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "boma:network.sshSources[1]", "boma:network.sshSources[2]" }));
        Assert.That(errors[0].Problem, Does.Contain("large part of the internet"));
    }

    [Test]
    public void FirstBootResolversDefaultToTheGatewayAndAreReadFromBootstrapDns()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        Assert.That(Parse(config, secrets).Network.BootstrapDns.Select(a => a.ToString()), Is.EqualTo(new[] { "192.168.20.1" }));

        var network = JsonNode.Parse(config["boma:network"])!.AsObject();
        network.Remove("bootstrapDns");
        config["boma:network"] = network.ToJsonString();
        var cluster = Parse(config, secrets);
        Assert.That(cluster.Network.BootstrapDns.Select(a => a.ToString()), Is.EqualTo(new[] { "192.168.20.1" }), "the gateway by default");
        Assert.That(cluster.Network.DnsServers.Select(a => a.ToString()), Is.EqualTo(new[] { "192.168.20.11", "192.168.20.12" }));

        var two = Parse(WithObjectField("boma:network", "bootstrapDns", new JsonArray("192.168.20.1", "9.9.9.9")), secrets);
        Assert.That(two.Network.BootstrapDns.Select(a => a.ToString()), Is.EqualTo(new[] { "192.168.20.1", "9.9.9.9" }));
    }

    [Test]
    public void AFirstBootResolverMustNotBeAVmOfThisStack()
    {
        // mlinzi1 (a dns VM) serves nothing at first boot: every VM's cloud-init, apt and enrolment would fail.
        var errors = Errors(WithObjectField("boma:network", "bootstrapDns", new JsonArray("192.168.20.11")));

        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "boma:network.bootstrapDns[0]" }));
        Assert.That(errors[0].Problem, Does.Contain("mlinzi1").And.Contain("first boot"));
        Assert.That(errors[0].Fix, Does.Contain("bootstrapDns[0]").And.Contain("192.168.20.1").And.Contain("cluster"));
    }

    [Test]
    public void BootstrapDnsEntriesAreAddressesInANonEmptyList()
    {
        var bad = Errors(WithObjectField("boma:network", "bootstrapDns", new JsonArray("192.168.20.1", "router.lan")));
        Assert.That(bad.Select(e => e.Key), Is.EqualTo(new[] { "boma:network.bootstrapDns[1]" }));

        var empty = Errors(WithObjectField("boma:network", "bootstrapDns", new JsonArray()));
        Assert.That(empty.Select(e => e.Key), Is.EqualTo(new[] { "boma:network.bootstrapDns" }));
        Assert.That(empty[0].Fix, Does.Contain("bootstrapDns"));
    }

    [Test]
    public void ConfiguredSshSourcesReplaceTheSubnetDefault()
    {
        var (_, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        var cluster = Parse(WithObjectField("boma:network", "sshSources", new JsonArray("192.168.10.0/24", "fd00:10::/64")), secrets);

        Assert.That(cluster.Network.SshSources, Is.EqualTo(new[] { "192.168.10.0/24", "fd00:10::/64" }));
    }

    [Test]
    public void MeshNamesAndTheCoordinatorFollowTheDomainByDefault()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        config["boma:domain"] = "example.org";
        config["boma:mesh"] = "{}";

        var cluster = Parse(config, secrets);

        Assert.That(cluster.Mesh.MeshName("ghala"), Is.EqualTo("ghala.boma.example.org"));
        Assert.That(cluster.Mesh.CoordinatorFqdn, Is.EqualTo("netbird.askari.example.org"));
    }

    [Test]
    public void AMalformedOffsiteStackNameIsRejected()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config["boma:mesh"] = """{"offsiteStack": "offsite"}""";

        Assert.That(Errors(config).Single().Key, Is.EqualTo("boma:mesh.offsiteStack"));
    }
}

// Expected-value arrays in assertions run once per test; hoisting them to fields would only hide them.
#pragma warning disable CA1861
using System.Net;
using System.Text.Json.Nodes;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Hosts;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.HostFiles;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Components;

[TestFixture]
public sealed class ProxmoxComponentTests
{
    private static ClusterConfig Config()
    {
        var (config, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        return ClusterConfigLoader.Load(ClusterStackConfigFile.Source(config, secrets));
    }

    /// <summary>Builds one node's image and one VM on it, alone, under the test monitor.</summary>
    private static async Task<TestResult> BuildVm(ClusterVmSettings? vm = null, bool preview = false)
    {
        var config = Config();
        vm ??= config.Vms[2];
        var result = await Deployment.TestAsync(new ClusterMocks(), () =>
        {
            var image = new ProxmoxCloudImage($"image-{vm.Node}", new ProxmoxCloudImageArgs
            {
                Node = vm.Node,
                Image = config.Image,
                Datastore = config.Proxmox.ImageDatastore,
                SnippetDatastore = config.Proxmox.SnippetDatastore,
            });
            _ = new ProxmoxVm(vm.Name, new ProxmoxVmArgs
            {
                Vm = vm,
                Fqdn = config.Fqdn(vm),
                SearchDomain = config.InternalZone,
                Proxmox = config.Proxmox,
                Network = config.Network,
                Admin = config.Admin,
                ImageFileId = image.FileId,
                VendorDataFileId = image.VendorDataFileId,
            });
            return new Dictionary<string, object?>();
        }, new TestOptions { IsPreview = preview });
        return result.Ok();
    }

    [Test]
    public async Task TheVmIsNamedPlacedAndSizedExplicitly()
    {
        var result = await BuildVm();
        var vm = result.Single("proxmoxve:index/vmLegacy:VmLegacy");

        Assert.Multiple(() =>
        {
            Assert.That(vm.Request.Name, Is.EqualTo("ghala-vm"));
            Assert.That(vm.InputString("name"), Is.EqualTo("ghala"));
            Assert.That(vm.InputString("nodeName"), Is.EqualTo("pve1"));
            Assert.That(vm.Input("vmId")!.GetValue<double>(), Is.EqualTo(2021));
            Assert.That(vm.Input("cpu")!["cores"]!.GetValue<double>(), Is.EqualTo(2));
            Assert.That(vm.Input("cpu")!["sockets"]!.GetValue<double>(), Is.EqualTo(1));
            Assert.That(vm.Input("cpu")!["type"]!.GetValue<string>(), Is.EqualTo("x86-64-v2-AES"));
            Assert.That(vm.Input("memory")!["dedicated"]!.GetValue<double>(), Is.EqualTo(4096));
            Assert.That(vm.Input("memory")!["floating"]!.GetValue<double>(), Is.EqualTo(4096));
            Assert.That(vm.Input("tags")!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "backup", "boma", "restic", "storage" }));
            Assert.That(vm.Input("operatingSystem")!["type"]!.GetValue<string>(), Is.EqualTo("l26"));
        });
    }

    [Test]
    public async Task TheBootDiskImportsTheNodesImageWithEveryNoisyValueSet()
    {
        var result = await BuildVm();
        var vm = result.Single("proxmoxve:index/vmLegacy:VmLegacy");
        var image = result.Single("proxmoxve:download/file:File");
        var disk = vm.Input("disks")!.AsArray().Single()!;

        Assert.Multiple(() =>
        {
            Assert.That(disk["interface"]!.GetValue<string>(), Is.EqualTo("scsi0"));
            Assert.That(disk["importFrom"]!.GetValue<string>(), Is.EqualTo(image.Id));
            Assert.That(disk["size"]!.GetValue<double>(), Is.EqualTo(200));
            Assert.That(disk["datastoreId"]!.GetValue<string>(), Is.EqualTo("local-lvm"));
            foreach (var key in new[] { "fileFormat", "iothread", "discard", "ssd", "cache", "aio", "backup", "replicate" })
            {
                Assert.That(disk[key], Is.Not.Null, key);
            }

            Assert.That(disk["speed"]!.AsObject().Select(p => p.Value!.GetValue<double>()).ToList(), Has.Count.EqualTo(8).And.All.EqualTo(0));
            Assert.That(vm.Request.Dependencies, Does.Contain(image.Urn));
        });
    }

    [Test]
    public async Task CloudInitCarriesTheUserTheStaticAddressAndTheFirstBootDnsServers()
    {
        var result = await BuildVm();
        var init = result.Single("proxmoxve:index/vmLegacy:VmLegacy").Input("initialization")!;
        var snippet = result.Single("proxmoxve:index/fileLegacy:FileLegacy");

        Assert.Multiple(() =>
        {
            Assert.That(init["userAccount"]!["username"]!.GetValue<string>(), Is.EqualTo("kim"));
            Assert.That(init["userAccount"]!["keys"]!.AsArray().Single()!.GetValue<string>(), Does.StartWith("ssh-ed25519 "));
            Assert.That(init["userAccount"]!["password"], Is.Null, "key-only: no password is set");
            Assert.That(init["ipConfigs"]!.AsArray().Single()!["ipv4"]!["address"]!.GetValue<string>(), Is.EqualTo("192.168.20.21/24"));
            Assert.That(init["ipConfigs"]!.AsArray().Single()!["ipv4"]!["gateway"]!.GetValue<string>(), Is.EqualTo("192.168.20.1"));
            // First boot resolves through boma:network.bootstrapDns (the router): mlinzi1/2 (boma:network.dns) serve nothing yet.
            Assert.That(init["dns"]!["servers"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "192.168.20.1" }));
            Assert.That(init["dns"]!["domain"]!.GetValue<string>(), Is.EqualTo("boma.example.net"));
            Assert.That(init["vendorDataFileId"]!.GetValue<string>(), Is.EqualTo(snippet.Id));
        });
    }

    [Test]
    public async Task TheGuestAgentIsOnAndTheNicIsOnTheBridgeAndVlan()
    {
        var vm = (await BuildVm()).Single("proxmoxve:index/vmLegacy:VmLegacy");
        var nic = vm.Input("networkDevices")!.AsArray().Single()!;

        Assert.That(vm.Input("agent")!["enabled"]!.GetValue<bool>(), Is.True);
        Assert.That(nic["bridge"]!.GetValue<string>(), Is.EqualTo("vmbr0"));
        Assert.That(nic["vlanId"]!.GetValue<double>(), Is.EqualTo(20));
        Assert.That(nic["model"]!.GetValue<string>(), Is.EqualTo("virtio"));
    }

    [Test]
    public async Task TheVmIsProtectedAndIgnoresCloudInitAndItsKeys()
    {
        var vm = (await BuildVm()).Single("proxmoxve:index/vmLegacy:VmLegacy");

        Assert.That(vm.Request.Protect, Is.True);
        Assert.That(vm.Request.IgnoreChanges, Is.EquivalentTo(new[] { "initialization", "cdrom" }));
    }

    [Test]
    public async Task AVmWithoutAVlanSendsNoVlanTag()
    {
        var config = Config();
        var result = await Deployment.TestAsync(new ClusterMocks(), () =>
        {
            _ = new ProxmoxVm("plain", new ProxmoxVmArgs
            {
                Vm = config.Vms[0],
                Fqdn = "plain.boma.example.net",
                SearchDomain = config.InternalZone,
                Proxmox = config.Proxmox,
                Network = config.Network with { VlanId = null },
                Admin = config.Admin,
                ImageFileId = Output.Create("local:import/debian.qcow2"),
                VendorDataFileId = Output.Create("local:snippets/boma-vendor-data.yaml"),
            });
            return new Dictionary<string, object?>();
        });

        var nic = result.Ok().Single("proxmoxve:index/vmLegacy:VmLegacy").Input("networkDevices")!.AsArray().Single()!.AsObject();
        Assert.That(nic.ContainsKey("vlanId"), Is.False);
    }

    [Test]
    public async Task TheImageIsAnImportDownloadOnTheNodeAndTheVendorDataASnippet()
    {
        var result = await BuildVm();
        var image = result.Single("proxmoxve:download/file:File");
        var snippet = result.Single("proxmoxve:index/fileLegacy:FileLegacy");

        Assert.Multiple(() =>
        {
            Assert.That(image.InputString("nodeName"), Is.EqualTo("pve1"));
            Assert.That(image.InputString("contentType"), Is.EqualTo("import"));
            Assert.That(image.InputString("datastoreId"), Is.EqualTo("local"));
            Assert.That(image.InputString("url"), Does.StartWith("https://cloud.debian.org/images/cloud/trixie/"));
            Assert.That(image.InputString("fileName"), Is.EqualTo("debian-13-genericcloud-amd64.qcow2"));
            Assert.That(snippet.InputString("contentType"), Is.EqualTo("snippets"));
            Assert.That(snippet.Input("sourceRaw")!["fileName"]!.GetValue<string>(), Is.EqualTo("boma-vendor-data.yaml"));
            Assert.That(snippet.Input("sourceRaw")!["data"]!.GetValue<string>(), Is.EqualTo(HostTemplates.Render("cluster/vendor-data.yaml.tmpl", new Dictionary<string, string>())));
        });
    }

    [Test]
    public void CloudInitAcceptsTheVendorData()
    {
        var dir = Directory.CreateTempSubdirectory("boma-vendor-").FullName;
        try
        {
            var file = Path.Combine(dir, "vendor-data.yaml");
            File.WriteAllText(file, HostTemplates.Render("cluster/vendor-data.yaml.tmpl", new Dictionary<string, string>()));

            var result = HostTool.Run(HostTool.Require("cloud-init", "cloud-init"), ["schema", "--config-file", file]);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(File.ReadAllText(file), Does.Contain("qemu-guest-agent"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TagsAreSortedDistinctAndIncludeBomaAndTheRole()
    {
        var vm = new ClusterVmSettings("x", 100, "pve1", 1, 512, 8, IPAddress.Parse("192.168.20.50"), "web", ["zeta", "alpha", "web"]);

        Assert.That(ProxmoxVm.Tags(vm), Is.EqualTo(new[] { "alpha", "boma", "web", "zeta" }));
    }
}

namespace Boma.Pulumi.Tests.Providers.ProxmoxVE;

using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Pulumi.ProxmoxVE;
using Boma.Pulumi.ProxmoxVE.Inputs;
using DownloadFile = Boma.Pulumi.ProxmoxVE.Download.File;

[TestFixture]
public sealed class ProxmoxVETests : PackageTests
{
    private static readonly string[] ProviderSecrets = ["apiToken", "authTicket", "csrfPreventionToken", "password"];

    public ProxmoxVETests()
        : base("proxmoxve", Provider.TypeToken, VmLegacy.TypeToken, FileLegacy.TypeToken, DownloadFile.TypeToken)
    {
    }

    [Test]
    public async Task A_vm_without_a_name_fails_instead_of_getting_a_random_suffix()
    {
        var args = (VmLegacyArgs)Samples.ArgsFor(VmLegacy.TypeToken);
        args.Name = null;

        var (error, result) = await ProviderRun.FailureOfAsync(() => _ = new VmLegacy("vm1", args));

        Assert.That(error?.Message, Does.Contain(VmLegacy.TypeToken).And.Contain("name: not set").And.Contain("Fix: set Name explicitly"));
        Assert.That(result?.Registrations.Any(r => r.Request.Type == VmLegacy.TypeToken) ?? false, Is.False);
    }

    [Test]
    public async Task A_disk_without_an_interface_is_refused_with_its_list_path()
    {
        var args = (VmLegacyArgs)Samples.ArgsFor(VmLegacy.TypeToken);
        args.Disks = new[] { new VmLegacyDiskArgs { DatastoreId = "local-lvm", Size = 8 } };

        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new VmLegacy("vm1", args));

        Assert.That(error?.Message, Does.Contain("disks[0].interface: required input is not set. Fix: set Interface."));
    }

    [Test]
    public async Task The_vm_sends_disks_network_devices_and_cloud_init_in_schema_shape()
    {
        var result = await ProviderRun.RunAsync(() => _ = new VmLegacy("vm1", (VmLegacyArgs)Samples.ArgsFor(VmLegacy.TypeToken)));

        var inputs = ProviderRun.Registration(result, VmLegacy.TypeToken).Inputs;
        Assert.Multiple(() =>
        {
            Assert.That(inputs["name"]!.GetValue<string>(), Is.EqualTo("vm1"));
            Assert.That(inputs["disks"]![0]!["interface"]!.GetValue<string>(), Is.EqualTo("virtio0"));
            Assert.That(inputs["disks"]![0]!["importFrom"]!.GetValue<string>(), Is.EqualTo("local:import/debian-12.qcow2"));
            Assert.That(inputs["networkDevices"]![0]!["bridge"]!.GetValue<string>(), Is.EqualTo("vmbr0"));
            Assert.That(inputs["initialization"]!["userDataFileId"]!.GetValue<string>(), Is.EqualTo("local:snippets/vm1.yaml"));
            Assert.That(inputs["initialization"]!["ipConfigs"]![0]!["ipv4"]!["address"]!.GetValue<string>(), Is.EqualTo("dhcp"));
        });
    }

    [Test]
    public async Task Provider_config_is_json_encoded_where_not_a_string_and_its_secrets_stay_secret()
    {
        var result = await ProviderRun.RunAsync(() => _ = new Provider("pve", (ProviderArgs)Samples.ArgsFor(Provider.TypeToken)));

        var registration = ProviderRun.Registration(result, Provider.TypeToken);
        Assert.Multiple(() =>
        {
            Assert.That(ProviderRun.IsSecret(registration.Inputs["apiToken"]), Is.True);
            Assert.That(registration.Inputs["insecure"]!.GetValue<string>(), Is.EqualTo("true"));
            // ssh holds a private key: the JSON text travels as a secret string.
            var ssh = registration.Inputs["ssh"];
            Assert.That(ProviderRun.IsSecret(ssh), Is.True);
            var sshJson = JsonNode.Parse(ProviderRun.Unwrap(ssh)!.GetValue<string>())!;
            Assert.That(sshJson["username"]!.GetValue<string>(), Is.EqualTo("root"));
            Assert.That(sshJson["nodes"]![0]!["address"]!.GetValue<string>(), Is.EqualTo("10.0.0.2"));
            Assert.That(registration.Request.AdditionalSecretOutputs, Is.EquivalentTo(ProviderSecrets));
            Assert.That(registration.Request.PluginDownloadURL, Is.EqualTo("github://api.github.com/muhlba91/pulumi-proxmoxve"));
        });
    }

    [Test]
    public async Task A_snippet_needs_exactly_one_source()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new FileLegacy("snippet", new FileLegacyArgs { ContentType = "snippets", DatastoreId = "local", NodeName = "pve" }));

        Assert.That(error?.Message, Does.Contain("sourceRaw: a file needs exactly one source"));
    }

    [Test]
    public async Task A_download_with_an_unknown_content_type_or_a_non_http_url_is_refused()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new DownloadFile("image", new Boma.Pulumi.ProxmoxVE.Download.FileArgs
        {
            ContentType = "qcow2",
            DatastoreId = "local",
            NodeName = "pve",
            Url = "ftp://example.org/x.qcow2",
        }));

        Assert.That(error?.Message, Does.Contain("contentType: \"qcow2\" is not an allowed value. Fix: use one of iso, import, vztmpl.")
            .And.Contain("url: \"ftp://example.org/x.qcow2\" is not an http(s) URL"));
    }
}

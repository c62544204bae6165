using Boma.Infra.Hosts;
using NUnit.Framework;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The first-boot user data, checked by `cloud-init schema`.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)] // Independent temp dirs; the external tools dominate the run time.
public sealed class CloudInitTests
{
    private static readonly string[] TopLevelKeys = ["users", "disable_root", "ssh_pwauth", "manage_etc_hosts"];

    private static ToolResult Schema(string userData)
    {
        var cloudInit = HostTool.Require("cloud-init", "cloud-init");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, userData);
            return HostTool.Run(cloudInit, ["schema", "--config-file", file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void User_data_is_valid_cloud_config()
    {
        var userData = HostTemplates.Render("bootstrap/cloud-init.yaml.tmpl", HostSamples.CloudInit);
        Assert.That(userData, Does.StartWith("#cloud-config\n"));
        var result = Schema(userData);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Valid cloud-config"));
    }

    [Test]
    public void User_data_is_minimal_key_only_and_without_root()
    {
        var userData = HostTemplates.Render("bootstrap/cloud-init.yaml.tmpl", HostSamples.CloudInit);
        Assert.That(userData, Does.Contain("  - name: boma\n"));
        Assert.That(userData, Does.Contain($"      - \"{HostSamples.AdminKey}\"\n"));
        Assert.That(userData, Does.Contain("\nmanage_etc_hosts: localhost\n"), "only the host-name line: manage_etc_hosts: true would rewrite /etc/hosts at every boot");
        Assert.That(userData, Does.Contain("\ndisable_root: true\n").And.Contain("\nssh_pwauth: false\n").And.Contain("lock_passwd: true"));
        var topLevel = userData.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(' ')).Select(l => l.Split(':')[0]);
        Assert.That(topLevel, Is.EquivalentTo(TopLevelKeys), "post-boot config belongs in the scripts, not in user data");
    }

    [Test]
    public void Schema_check_really_rejects_bad_user_data()
    {
        var userData = HostTemplates.Render("bootstrap/cloud-init.yaml.tmpl", HostSamples.CloudInit).Replace("ssh_pwauth: false", "ssh_pwauth: 7", StringComparison.Ordinal);
        var result = Schema(userData);
        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
    }

    [TestCase("admin_user", "root; rm")]
    [TestCase("admin_ssh_public_key", "ssh-ed25519 AAAA\" injected")]
    [TestCase("admin_ssh_public_key", "-----BEGIN OPENSSH PRIVATE KEY-----")]
    public void Bad_values_are_rejected(string key, string value)
    {
        var values = new Dictionary<string, string>(HostSamples.CloudInit) { [key] = value };
        Assert.That(() => HostTemplates.Render("bootstrap/cloud-init.yaml.tmpl", values),
            Throws.ArgumentException.With.Message.Contain($"'{key}'").And.Message.Not.Contain(value));
    }
}

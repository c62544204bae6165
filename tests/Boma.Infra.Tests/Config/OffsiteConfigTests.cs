// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using NUnit.Framework;
using Boma.Infra.Config;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Config;

[TestFixture]
public class OffsiteConfigTests
{
    private static OffsiteConfig Load(Action<Dictionary<string, string>>? edit = null, HashSet<string>? secrets = null)
    {
        var values = ValidConfig.Values();
        edit?.Invoke(values);
        return OffsiteConfigLoader.Load(new DictionaryConfigSource(values, secrets ?? ValidConfig.SecretKeys()));
    }

    private static IReadOnlyList<ConfigError> Errors(Action<Dictionary<string, string>> edit, HashSet<string>? secrets = null)
    {
        var ex = Assert.Throws<ConfigValidationException>(() => Load(edit, secrets));
        return ex!.Errors;
    }

    [Test]
    public void Valid_config_loads_with_defaults()
    {
        var config = Load();
        Assert.Multiple(() =>
        {
            Assert.That(config.Domain, Is.EqualTo("example.org"));
            Assert.That(config.Location, Is.EqualTo("hel1"));
            Assert.That(config.Image, Is.EqualTo("debian-13"));
            Assert.That(config.ServerType, Is.EqualTo("cx23"));
            Assert.That(config.HostName, Is.EqualTo("askari"));
            Assert.That(config.BreakGlassCidrs, Is.EqualTo(new[] { "203.0.113.7/32", "2001:db8:1234::/48" }));
            Assert.That(config.OffsiteServices, Is.EqualTo(new[] { "netbird", "test" }));
            Assert.That(config.CoordinatorService, Is.EqualTo("netbird"));
            Assert.That(config.HomeServices, Is.EqualTo(new[] { new HomeService("jellyfin", false), new HomeService("photos", true) }));
            Assert.That(config.DnsTtl, Is.EqualTo(300));
            Assert.That(config.Ipv6, Is.True);
            Assert.That(config.Naming.OffsiteFqdn("netbird"), Is.EqualTo("netbird.askari.example.org"));
            Assert.That(config.Naming.InfraFqdn("askari"), Is.EqualTo("askari.boma.example.org"));
        });
    }

    [Test]
    public async Task Secrets_stay_secret_outputs()
    {
        var config = Load();
        Assert.That(await Boma.Pulumi.Output.IsSecretAsync(config.Secrets.HcloudToken), Is.True);
        Assert.That(await config.Secrets.GandiToken.GetValueAsync(), Is.EqualTo("gandi-test-pat-value-0123456789"));
    }

    // Each bad value → exactly one error that names the full key and gives a runnable fix.
    [TestCase("domain", "Example..org", "boma:domain", "pulumi config set -s offsite boma:domain")]
    [TestCase("domain", "localhost", "boma:domain", "pulumi config set -s offsite boma:domain")]
    [TestCase("location", "fra1", "boma:location", "pulumi config set -s offsite boma:location hel1")]
    [TestCase("serverType", "", "boma:serverType", "pulumi config set -s offsite boma:serverType cx23")]
    [TestCase("serverType", "big one", "boma:serverType", "pulumi config set -s offsite boma:serverType cx23")]
    [TestCase("image", "Debian 13", "boma:image", "pulumi config set -s offsite boma:image debian-13")]
    [TestCase("hostName", "Askari_1", "boma:hostName", "pulumi config set -s offsite boma:hostName askari")]
    [TestCase("adminUser", "root", "boma:adminUser", "pulumi config set -s offsite boma:adminUser")]
    [TestCase("adminUser", "9lives", "boma:adminUser", "pulumi config set -s offsite boma:adminUser")]
    [TestCase("adminPublicKey", "ssh-dss AAAAB3NzaC1kc3M= me", "boma:adminPublicKey", "pulumi config set -s offsite boma:adminPublicKey")]
    [TestCase("adminPublicKey", "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ== me", "boma:adminPublicKey", "pulumi config set -s offsite boma:adminPublicKey")]
    [TestCase("adminPublicKey", "-----BEGIN OPENSSH PRIVATE KEY-----", "boma:adminPublicKey", "pulumi config set -s offsite boma:adminPublicKey")]
    [TestCase("adminPublicKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo kim's \"laptop\"", "boma:adminPublicKey", "pulumi config set -s offsite boma:adminPublicKey")]
    [TestCase("breakGlassCidrs", "[\"0.0.0.0/0\"]", "boma:breakGlassCidrs[0]", "pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]'")]
    [TestCase("breakGlassCidrs", "[\"203.0.113.7/32\",\"::/0\"]", "boma:breakGlassCidrs[1]", "pulumi config set -s offsite --path 'boma:breakGlassCidrs[1]'")]
    [TestCase("breakGlassCidrs", "[\"203.0.113.7\"]", "boma:breakGlassCidrs[0]", "pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]'")]
    [TestCase("breakGlassCidrs", "[\"203.0.113.7/24\"]", "boma:breakGlassCidrs[0]", "pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]' 203.0.113.0/24")]
    [TestCase("breakGlassCidrs", "[\"not-an-ip/32\"]", "boma:breakGlassCidrs[0]", "pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]'")]
    [TestCase("breakGlassCidrs", "203.0.113.7/32", "boma:breakGlassCidrs", "pulumi config rm -s offsite boma:breakGlassCidrs && pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]'")]
    [TestCase("breakGlassCidrs", "[]", "boma:breakGlassCidrs", "pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]' 203.0.113.7/32")]
    [TestCase("offsiteServices", "[\"netbird\",\"Test!\"]", "boma:offsiteServices[1]", "pulumi config set -s offsite --path 'boma:offsiteServices[1]'")]
    [TestCase("coordinatorService", "headscale", "boma:coordinatorService", "pulumi config set -s offsite boma:coordinatorService netbird")]
    [TestCase("homeServices", "[{\"name\":\"boma\"}]", "boma:homeServices[0].name", "pulumi config set -s offsite --path 'boma:homeServices[0].name'")]
    [TestCase("homeServices", "[\"jellyfin\",\"askari\"]", "boma:homeServices[1].name", "pulumi config set -s offsite --path 'boma:homeServices[1].name'")]
    [TestCase("homeServices", "[{\"name\":\"photos\",\"pubic\":true}]", "boma:homeServices[0].pubic", "pulumi config rm -s offsite --path 'boma:homeServices[0].pubic'")]
    [TestCase("homeServices", "[\"jellyfin\",\"jellyfin\"]", "boma:homeServices[1].name", "pulumi config rm -s offsite --path 'boma:homeServices[1]'")]
    [TestCase("dnsTtl", "60", "boma:dnsTtl", "pulumi config set -s offsite boma:dnsTtl 300")]
    [TestCase("dnsTtl", "five minutes", "boma:dnsTtl", "pulumi config set -s offsite boma:dnsTtl 300")]
    [TestCase("ipv6", "yes", "boma:ipv6", "pulumi config set -s offsite boma:ipv6 true")]
    public void Bad_value_names_key_and_fix(string key, string value, string errorKey, string fix)
    {
        var errors = Errors(v => v[key] = value);
        Assert.That(errors, Has.Count.EqualTo(1), string.Join("\n", errors));
        Assert.That(errors[0].Key, Is.EqualTo(errorKey));
        Assert.That(errors[0].Fix, Does.StartWith(fix));
        Assert.That(errors[0].Problem, Is.Not.Empty);
    }

    [TestCase("/home/kim/.ssh/boma_bootstrap", "file path")]
    [TestCase("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo kim", "public key")]
    [TestCase("hunter2-not-a-key", "not an OpenSSH or PEM private key")]
    [TestCase("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nabc\n-----END RSA PRIVATE KEY-----", "passphrase-protected")]
    public void Bad_private_key_is_named_without_echoing_it(string value, string problem)
    {
        var errors = Errors(v => v["sshPrivateKey"] = value);
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "boma:sshPrivateKey" }));
        Assert.That(errors[0].Problem, Does.Contain(problem));
        Assert.That(errors[0].ToString(), Does.Not.Contain(value.Split('\n')[0].Length > 12 ? value.Split('\n')[0][..12] : value));
        Assert.That(errors[0].Fix, Does.Contain("--secret boma:sshPrivateKey"));
    }

    [Test]
    public void Offline_placeholders_are_not_format_checked()
    {
        Assert.DoesNotThrow(() => Load(v => v["sshPrivateKey"] = "<offline-placeholder:boma:sshPrivateKey>"));
    }

    [TestCase("domain")]
    [TestCase("adminUser")]
    [TestCase("adminPublicKey")]
    [TestCase("breakGlassCidrs")]
    [TestCase("hcloudToken")]
    [TestCase("gandiToken")]
    [TestCase("sshPrivateKey")]
    public void Missing_required_key_is_named(string key)
    {
        var errors = Errors(v => v.Remove(key));
        Assert.That(errors.Select(e => e.Key), Is.EqualTo(new[] { "boma:" + key }));
        Assert.That(errors[0].Problem, Does.Contain("required"));
        Assert.That(errors[0].Fix, Does.Contain("boma:" + key));
    }

    [Test]
    public void Secret_set_in_plain_text_is_rejected_without_echoing_it()
    {
        var secrets = ValidConfig.SecretKeys();
        secrets.Remove("hcloudToken");
        var errors = Errors(_ => { }, secrets);
        Assert.That(errors.Single().Key, Is.EqualTo("boma:hcloudToken"));
        Assert.That(errors.Single().Fix, Does.Contain("--secret boma:hcloudToken"));
        Assert.That(errors.Single().ToString(), Does.Not.Contain("hcloud-test-token-value"));
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Assert.Throws<ConfigValidationException>(() => Load(v =>
        {
            v["domain"] = "-bad-";
            v["location"] = "mars1";
            v["breakGlassCidrs"] = "[\"0.0.0.0/0\",\"::/0\"]";
            v.Remove("gandiToken");
        }));
        Assert.That(ex!.Errors.Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "boma:domain", "boma:location", "boma:breakGlassCidrs[0]", "boma:breakGlassCidrs[1]", "boma:gandiToken",
        }));
        Assert.That(ex.Message, Does.Contain("5 problems").And.Contain("nothing was created"));
    }

    [Test]
    public void Cidrs_are_normalised_and_ipv6_kept()
    {
        var config = Load(v => v["breakGlassCidrs"] = "[\"2001:DB8::/32\"]");
        Assert.That(config.BreakGlassCidrs, Is.EqualTo(new[] { "2001:db8::/32" }));
    }

    [Test]
    public void Every_key_the_config_accepts_renders_into_cloud_init()
    {
        // The config rule must be no looser than the cloud-init template's parameter pattern, or a key
        // would pass validation and then fail half-way through registering resources.
        string[] keys =
        [
            ValidConfig.PublicKey,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo kim laptop 2026",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo",
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBs8RwDyLrqPI7/DXkyD53X7PTp4F5DNeBLzIyZRIhWdG4g11ne7e5UaRsc1XyFmIRxs5QTqd8zUqj83K7iuarA= t",
        ];
        foreach (var key in keys)
        {
            Assert.That(ConfigRules.PublicKey(key), Is.Null, key);
            var rendered = Boma.Infra.Hosts.HostTemplates.Render(Boma.Infra.Components.HetznerVps.CloudInitTemplate,
                new Dictionary<string, string> { ["admin_user"] = "kim", ["admin_ssh_public_key"] = key });
            Assert.That(rendered, Does.Contain(key));
        }
    }

    [Test]
    public void Ecdsa_and_rsa_keys_are_accepted()
    {
        // Real public keys generated for tests only.
        const string Ecdsa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBs8RwDyLrqPI7/DXkyD53X7PTp4F5DNeBLzIyZRIhWdG4g11ne7e5UaRsc1XyFmIRxs5QTqd8zUqj83K7iuarA= t";
        Assert.That(ConfigRules.PublicKey(Ecdsa), Is.Null);
        Assert.That(ConfigRules.PublicKey(ValidConfig.PublicKey), Is.Null);
        // A 3072-bit RSA key (the minimum); the private half was not kept.
        Assert.That(ConfigRules.PublicKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDHRYNhUnovL/3lXbv7KwZOStV4Ox97ZkCh3vRFaf8yarFMrwyVVJNmvBNhyoYZuk4BsUoCV8jZ+/4CJBrveWyd/Sipvf/7OCp75Vb8weONKrZlG3p4LE5K0dOtfqpJAAeieO8gZ7Dqp9zhl3DgHxV++lBquIrxOAGFD2tn1TOE+1DjDyPreLLzmXuwsW2tQXwmQ0scuwNA3WMzYq3tYWg87X5YxiHxy4M15slc4ZS4gLxKAQoaOUW+46BshHGoOO1xTsK2ia4lTk9C8OOmQ1ghUHX41mQ8a3b6n+6Mgw3bRTvqHPdCFV+y3/Vx2MpzvBcRCimMAQ8oSvZDuyy8d0qVqOWDGrU+wo5xS1LHUgbsHUe1137Uan1mjFhSoxcrBNLDPORWtNK13A2h2sqnwDGYLJ8hhI7tvJsOVOf39rSdhZdma9kPtDiiKz/P3kkVl1o7P75vmyAYnenQWnCnKGwboazora8Bk7IEgm3i3QxjjAkfOEVuyxEgVGBJVzQXy2M= t"), Is.Null);
        Assert.That(ConfigRules.PublicKey("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== me"), Does.Contain("malformed"));
    }
}

// CA1861: expected values read best inline in the assertion.
#pragma warning disable CA1861

using Boma.Infra.Config;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Config;

/// <summary>boma:netbird / boma:caddy / boma:backup: defaults, and every bad value named with its fix.</summary>
[TestFixture]
public sealed class NetbirdConfigTests
{
    private static NetbirdSettings Load(Action<Dictionary<string, string>>? edit = null, HashSet<string>? secrets = null)
    {
        var values = ValidConfig.Values();
        edit?.Invoke(values);
        return NetbirdSettings.Load(new DictionaryConfigSource(values, secrets ?? ValidConfig.SecretKeys()), "example.org");
    }

    private static string Error(Action<Dictionary<string, string>> edit, HashSet<string>? secrets = null) =>
        Assert.Throws<ConfigValidationException>(() => Load(edit, secrets))!.Message;

    [Test]
    public void Defaults_give_scoped_policies_a_reusable_servers_key_and_a_one_off_road_warrior_key()
    {
        var s = Load();
        Assert.Multiple(() =>
        {
            Assert.That(s.Netbird.OwnerEmail, Is.EqualTo("admin@example.org"));
            Assert.That(s.Netbird.MeshDnsDomain, Is.EqualTo("boma.example.org"));
            // One key per consumer, each expiring, each with a usage limit, each in its own group.
            Assert.That(s.Netbird.AskariKey, Is.EqualTo(new NetbirdSetupKeySpec("askari", "reusable", 7 * 24 * 3600, 3, false, ["offsite"])).Using<NetbirdSetupKeySpec>(SpecEquals));
            Assert.That(s.Netbird.UbongoKey, Is.EqualTo(new NetbirdSetupKeySpec("ubongo", "one-off", 7 * 24 * 3600, 1, false, ["control"])).Using<NetbirdSetupKeySpec>(SpecEquals));
            Assert.That(s.Netbird.ClusterKey, Is.EqualTo(new NetbirdSetupKeySpec("cluster", "reusable", 30 * 24 * 3600, 20, false, ["cluster"])).Using<NetbirdSetupKeySpec>(SpecEquals));
            Assert.That(s.Netbird.ServerKeys.All(k => k.ExpiresInSeconds > 0 && k.UsageLimit > 0), Is.True);
            Assert.That(s.Netbird.KeyRotation, Is.EqualTo("0"));
            Assert.That(s.Netbird.RoadWarriorKey.Type, Is.EqualTo("one-off"));
            Assert.That(s.Netbird.RoadWarriorKey.UsageLimit, Is.EqualTo(1));
            Assert.That(s.Netbird.RoadWarriorKey.ExpiresInSeconds, Is.EqualTo(7 * 24 * 3600));
            Assert.That(s.Netbird.Policies.Select(p => p.Name), Is.EqualTo(DefaultPolicyNames));
            Assert.That(s.Netbird.Groups, Is.EqualTo(DefaultGroups));
            Assert.That(s.Netbird.RemoveDefaultPolicy, Is.True);
            Assert.That(s.Caddy.Dns01, Is.False);
            Assert.That(s.Caddy.Image, Is.EqualTo(CaddyConfig.StockImage));
            Assert.That(s.Backup.Schedule, Is.EqualTo("daily"));
            Assert.That((s.Backup.KeepDaily, s.Backup.KeepWeekly, s.Backup.KeepMonthly), Is.EqualTo((7, 4, 6)));
        });
    }

    private static readonly string[] DefaultPolicyNames = ["admins-ssh", "road-warriors-control-ssh", "admins-ping"];
    private static readonly string[] DefaultGroups = ["cluster", "cluster-dns", "cluster-docker", "cluster-storage", "control", "offsite", "road-warriors"];

    [Test]
    public void Each_default_cluster_role_gets_its_own_expiring_limited_key_in_the_cluster_group_and_its_role_group()
    {
        var s = Load();
        var keys = s.Netbird.ClusterRoleKeys.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(s.Netbird.ClusterRoles, Is.EqualTo(new[] { "dns", "docker", "storage" }));
            Assert.That(keys.Select(k => k.Role), Is.EqualTo(new[] { "dns", "docker", "storage" }));
            foreach (var (role, key) in keys)
            {
                // The cluster key's type, expiry and usage limit; its own name and group.
                Assert.That(key, Is.EqualTo(new NetbirdSetupKeySpec($"cluster-{role}", "reusable", 30 * 24 * 3600, 20, false, ["cluster", $"cluster-{role}"]))
                    .Using<NetbirdSetupKeySpec>(SpecEquals), role);
            }

            Assert.That(s.Netbird.ServerKeys.Select(k => k.Name), Is.EqualTo(new[] { "askari", "ubongo", "cluster", "cluster-dns", "cluster-docker", "cluster-storage" }));
        });
    }

    [Test]
    public void The_cluster_keys_settings_carry_over_to_every_role_key()
    {
        var s = Load(v => v["netbird"] = """
            {"ownerEmail":"admin@example.org","clusterKey":{"name":"home","expiresInHours":48,"usageLimit":4,"groups":["servers"]},"clusterRoles":["dns","mail_relay"]}
            """);
        Assert.That(s.Netbird.ClusterRoleKeys.Select(k => k.Key), Is.EqualTo(new[]
        {
            new NetbirdSetupKeySpec("home-dns", "reusable", 48 * 3600, 4, false, ["servers", "cluster-dns"]),
            new NetbirdSetupKeySpec("home-mail_relay", "reusable", 48 * 3600, 4, false, ["servers", "cluster-mail-relay"]),
        }).Using<NetbirdSetupKeySpec>(SpecEquals));
    }

    [Test]
    public void The_dns_role_serves_53_over_the_mesh_to_the_admins_only_and_no_other_role_gets_a_policy()
    {
        var s = Load();
        var roles = s.Netbird.RolePolicies.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(roles.Select(p => (p.Name, p.Protocol, string.Join(',', p.Ports))), Is.EqualTo(new[]
            {
                ("cluster-dns-53-udp", "udp", "53"),
                ("cluster-dns-53-tcp", "tcp", "53"),
            }));
            // ubongo's and the road-warriors' groups; the cluster (resolves over the LAN) and askari (DNS off) are no clients.
            Assert.That(roles.Select(p => p.Sources), Has.All.EqualTo(new[] { "control", "road-warriors" }));
            Assert.That(roles.Select(p => p.Destinations), Has.All.EqualTo(new[] { "cluster-dns" }));
            Assert.That(roles.Where(p => p.Bidirectional), Is.Empty);
            Assert.That(s.Netbird.AllPolicies.Select(p => p.Name), Is.EqualTo(DefaultPolicyNames.Concat(["cluster-dns-53-udp", "cluster-dns-53-tcp"])));
        });
    }

    [Test]
    public void The_role_policies_follow_renamed_admin_groups()
    {
        var s = Load(v => v["netbird"] = """
            {"ownerEmail":"admin@example.org","ubongoKey":{"groups":["ops"]},"roadWarriorKey":{"groups":["laptops","ops"]}}
            """);
        Assert.That(s.Netbird.RolePolicies.Select(p => p.Sources), Has.All.EqualTo(new[] { "ops", "laptops" }));
    }

    [Test]
    public void No_cluster_roles_issue_no_role_keys()
    {
        var s = Load(v => v["netbird"] = """{"ownerEmail":"admin@example.org","clusterRoles":[]}""");
        Assert.That(s.Netbird.ClusterRoleKeys, Is.Empty);
        Assert.That(s.Netbird.RolePolicies, Is.Empty);
    }

    [Test]
    public void Default_policies_let_servers_initiate_nothing_and_allow_only_ssh_and_ping()
    {
        var s = Load();
        var serverGroups = new[] { s.Netbird.AskariKey, s.Netbird.ClusterKey }.SelectMany(k => k.Groups).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(s.Netbird.Policies.SelectMany(p => p.Sources).Intersect(serverGroups), Is.Empty, "askari and the cluster are never a source");
            Assert.That(s.Netbird.Policies.Select(p => p.Protocol), Has.None.EqualTo("all"));
            Assert.That(s.Netbird.Policies.Where(p => p.Bidirectional), Is.Empty);
            Assert.That(s.Netbird.Policies.Where(p => p.Protocol == "tcp").SelectMany(p => p.Ports).Distinct(), Is.EqualTo(new[] { "22" }));
        });
    }

    private static bool SpecEquals(NetbirdSetupKeySpec a, NetbirdSetupKeySpec b) =>
        a with { Groups = [] } == b with { Groups = [] } && a.Groups.SequenceEqual(b.Groups);

    [TestCase("{\"ownerEmail\":\"not-an-email\"}", "boma:netbird.ownerEmail", "pulumi config set -s offsite --path 'boma:netbird.ownerEmail'")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"ownerName\":\"x'; rm -rf /\"}", "boma:netbird.ownerName", "")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"adminTokenDays\":400}", "boma:netbird.adminTokenDays", "from 1 to 365")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"clusterKey\":{\"expiresInHours\":0}}", "boma:netbird.clusterKey.expiresInHours", "must expire")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"askariKey\":{\"usageLimit\":0}}", "boma:netbird.askariKey.usageLimit", "needs a usage limit")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"roadWarriorKey\":{\"name\":\"cluster\"}}", "boma:netbird.roadWarriorKey.name", "each consumer needs its own")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"keyRotation\":\"a b\"}", "boma:netbird.keyRotation", "letters, digits")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"policies\":[{\"name\":\"p\",\"sources\":[\"a\"],\"destinations\":[\"b\"],\"protocol\":\"icmp\",\"ports\":[\"22\"]}]}", "boma:netbird.policies[0].ports", "only apply to tcp or udp")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"policies\":[{\"name\":\"p\",\"sources\":[],\"destinations\":[\"b\"]}]}", "boma:netbird.policies[0].sources", "at least one group")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"policies\":[{\"name\":\"Default\",\"sources\":[\"a\"],\"destinations\":[\"b\"]}]}", "boma:netbird.policies[0].name", "Allow-All")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"policies\":[{\"name\":\"p\",\"sources\":[\"a\"],\"destinations\":[\"b\"],\"protocol\":\"sctp\"}]}", "boma:netbird.policies[0].protocol", "netbird-ssh")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"policies\":[]}", "boma:netbird.policies", "cut every peer off")]
    [TestCase("\"just a string\"", "boma:netbird", "must be an object")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"clusterRoles\":[\"DNS\"]}", "boma:netbird.clusterRoles[0]", "pulumi config set -s offsite --path 'boma:netbird.clusterRoles[0]' dns")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"clusterRoles\":[\"all\"]}", "boma:netbird.clusterRoles[0]", "not 'all' or 'ungrouped'")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"clusterRoles\":[\"dns\",\"dns\"]}", "boma:netbird.clusterRoles[1]", "pulumi config rm -s offsite --path 'boma:netbird.clusterRoles[1]'")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"clusterRoles\":\"dns\"}", "boma:netbird.clusterRoles", "must be a list")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"askariKey\":{\"name\":\"cluster-dns\"}}", "boma:netbird.clusterRoles", "also another setup key's name")]
    [TestCase("{\"ownerEmail\":\"a@example.org\",\"policies\":[{\"name\":\"cluster-dns-53-udp\",\"sources\":[\"a\"],\"destinations\":[\"b\"]}]}", "boma:netbird.policies[0].name", "role policy")]
    public void Bad_netbird_values_are_named_with_the_fix(string value, string key, string fix)
    {
        var message = Error(v => v["netbird"] = value);
        Assert.That(message, Does.Contain(key + ":").And.Contain(fix).And.Contain("nothing was created"));
    }

    [TestCase("{\"repository\":\"/var/backups\"}", "boma:backup.repository", "off-host")]
    [TestCase("{\"repository\":\"ftp://x\"}", "boma:backup.repository", "backend prefix")]
    [TestCase("{\"repository\":\"sftp://u@h//b\",\"schedule\":\"daily; rm -rf /\"}", "boma:backup.schedule", "systemd-analyze calendar")]
    [TestCase("{\"repository\":\"sftp://u@h//b\",\"keepDaily\":0}", "boma:backup.keepDaily", "from 1 to 365")]
    public void Bad_backup_values_are_named_with_the_fix(string value, string key, string fix)
    {
        Assert.That(Error(v => v["backup"] = value), Does.Contain(key + ":").And.Contain(fix));
    }

    [Test]
    public void The_backup_password_must_be_set_and_secret()
    {
        Assert.That(Error(v => v.Remove("backupPassword")), Does.Contain("boma:backupPassword: is required").And.Contain("pulumi config set -s offsite --secret"));
        var plain = ValidConfig.SecretKeys();
        plain.Remove("backupPassword");
        Assert.That(Error(_ => { }, plain), Does.Contain("boma:backupPassword: is stored in plain text"));
    }

    [Test]
    public void A_disabled_backup_needs_no_repository_or_password()
    {
        var s = Load(v =>
        {
            v["backup"] = "{\"enabled\":false}";
            v.Remove("backupPassword");
        });
        Assert.That(s.Backup.Enabled, Is.False);
    }

    private const string Box = "sftp://u1@backup.example.org:23//boma";
    private const string BoxKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo";

    private static string Backup(string repository, string? knownHosts) =>
        System.Text.Json.JsonSerializer.Serialize(knownHosts is null
            ? new Dictionary<string, string> { ["repository"] = repository }
            : new Dictionary<string, string> { ["repository"] = repository, ["knownHosts"] = knownHosts });

    [Test]
    public void An_sftp_repository_carries_the_storage_box_key_and_its_host_key()
    {
        var s = Load();
        Assert.That(s.Backup.Sftp, Is.EqualTo(new SftpTarget("backup.example.org", 23)));
        Assert.That(s.Backup.KnownHosts, Is.EqualTo(ValidConfig.StorageBoxKnownHosts + "\n"));
        var scp = Load(v => v["backup"] = Backup("sftp:u1@backup.example.org:/boma", "backup.example.org " + BoxKey));
        Assert.That(scp.Backup.Sftp, Is.EqualTo(new SftpTarget("backup.example.org", 22)));
    }

    [Test]
    public void An_sftp_repository_without_askaris_key_for_the_box_is_refused_with_how_to_make_one()
    {
        var message = Error(v => v.Remove("backupSshKey"));
        Assert.That(message, Does.Contain("boma:backupSshKey: is required").And.Contain("ssh-keygen -t ed25519")
            .And.Contain("pulumi config set -s offsite --secret boma:backupSshKey <").And.Contain("nothing was created"));
        var plain = ValidConfig.SecretKeys();
        plain.Remove("backupSshKey");
        Assert.That(Error(_ => { }, plain), Does.Contain("boma:backupSshKey: is stored in plain text"));
        Assert.That(Error(v => v["backupSshKey"] = "~/.ssh/askari-backup"), Does.Contain("boma:backupSshKey: looks like a file path"));
        Assert.That(Error(v => v["backupSshKey"] = v["sshPrivateKey"]), Does.Contain("boma:backupSshKey: is the same key as boma:sshPrivateKey"));
    }

    [Test]
    public void An_sftp_repository_without_the_box_host_key_is_refused_no_trust_on_first_use()
    {
        var message = Error(v => v["backup"] = Backup(Box, null));
        Assert.That(message, Does.Contain("boma:backup.knownHosts: is required for an sftp repository")
            .And.Contain("[backup.example.org]:23").And.Contain("ssh-keyscan -p 23 backup.example.org").And.Contain("pulumi config set -s offsite --path 'boma:backup.knownHosts'"));
        Assert.That(Error(v => v["backup"] = Backup(Box, "  ")), Does.Contain("boma:backup.knownHosts: is required"));
    }

    [TestCase("backup.example.org " + BoxKey, "not for [backup.example.org]:23")]
    [TestCase("[other.example.org]:23 " + BoxKey, "not for [backup.example.org]:23")]
    [TestCase("[backup.example.org]:22 " + BoxKey, "not for [backup.example.org]:23")]
    [TestCase("*.example.org " + BoxKey, "not for")]
    [TestCase("@cert-authority *.example.org " + BoxKey, "markers")]
    [TestCase("[backup.example.org]:23 ssh-dss AAAAB3NzaC1kc3M=", "not a host key type")]
    [TestCase("[backup.example.org]:23 ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo", "does not decode as a ssh-rsa key")]
    [TestCase("[backup.example.org]:23 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA!!", "does not decode")]
    [TestCase("[backup.example.org]:23", "not a known_hosts line")]
    [TestCase("# only a comment", "holds no host key line")]
    public void A_known_hosts_line_that_ssh_would_not_match_is_refused(string knownHosts, string problem)
    {
        Assert.That(Error(v => v["backup"] = Backup(Box, knownHosts)), Does.Contain("boma:backup.knownHosts: ").And.Contain(problem).And.Contain("ssh-keyscan"));
    }

    [Test]
    public void Known_hosts_may_hold_several_keys_and_hashed_names()
    {
        // ssh-keygen -H form of "[backup.example.org]:23": |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
        var salt = new byte[20];
        new Random(7).NextBytes(salt);
#pragma warning disable CA5350 // OpenSSH's hashed-name format
        using var hmac = new System.Security.Cryptography.HMACSHA1(salt);
#pragma warning restore CA5350
        var hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.ASCII.GetBytes("[backup.example.org]:23")))}";
        var s = Load(v => v["backup"] = Backup(Box, $"# backup.example.org:23 SSH-2.0-OpenSSH\r\n{hashed} {BoxKey}\n[backup.example.org]:23,[10.0.0.5]:23 {BoxKey} trailing comment\n"));
        Assert.That(s.Backup.KnownHosts, Is.EqualTo($"{hashed} {BoxKey}\n[backup.example.org]:23,[10.0.0.5]:23 {BoxKey}\n"));
        Assert.That(Error(v => v["backup"] = Backup(Box, $"|1|{Convert.ToBase64String(salt)}|AAAA {BoxKey}")), Does.Contain("not for [backup.example.org]:23"));
    }

    [Test]
    public void The_sftp_settings_are_refused_for_another_backend_where_they_would_never_be_used()
    {
        var message = Error(v => v["backup"] = Backup("s3:s3.example.org/bucket", "[backup.example.org]:23 " + BoxKey));
        Assert.That(message, Does.Contain("boma:backup.knownHosts: is set, but the repository is not sftp").And.Contain("boma:backupSshKey: is set, but the repository is not sftp")
            .And.Contain("pulumi config rm -s offsite boma:backupSshKey"));
        var s3 = Load(v =>
        {
            v["backup"] = Backup("s3:s3.example.org/bucket", null);
            v.Remove("backupSshKey");
        });
        Assert.That((s3.Backup.Sftp, s3.Backup.KnownHosts), Is.EqualTo(((SftpTarget?)null, "")));
        Assert.That(Error(v => v["backup"] = Backup("sftp://u1@/boma", null)), Does.Contain("boma:backup.repository: 'sftp://u1@/boma' is not an sftp repository restic understands"));
    }

    [TestCase("{\"dns01\":true}", "boma:caddy.dns01Sites")]
    [TestCase("{\"dns01Sites\":[{\"name\":\"a.boma.example.org\",\"upstream\":\"100.64.0.2:80\"}]}", "boma:caddy.dns01")]
    [TestCase("{\"dns01\":true,\"dns01Sites\":[{\"name\":\"a.other.org\",\"upstream\":\"100.64.0.2:80\"}]}", "boma:caddy.dns01Sites[0].name")]
    [TestCase("{\"dns01\":true,\"dns01Sites\":[{\"name\":\"a.boma.example.org\",\"upstream\":\"no port\"}]}", "boma:caddy.dns01Sites[0].upstream")]
    [TestCase("{\"dns01\":true,\"dns01Sites\":[{\"name\":\"a.boma.example.org\",\"upstream\":\"010.64.0.2:80\"}]}", "boma:caddy.dns01Sites[0].upstream")]
    [TestCase("{\"dns01\":true,\"dns01Sites\":[{\"name\":\"a.boma.example.org\",\"upstream\":\"100.64.0.2:99999\"}]}", "boma:caddy.dns01Sites[0].upstream")]
    [TestCase("{\"dns01\":true,\"dns01Sites\":[{\"name\":\"a.boma.example.org\",\"upstream\":\"-host-.example.org:80\"}]}", "boma:caddy.dns01Sites[0].upstream")]
    [TestCase("{\"acmeEmail\":\"nope\"}", "boma:caddy.acmeEmail")]
    public void Bad_caddy_values_are_named(string value, string key)
    {
        Assert.That(Error(v => v["caddy"] = value), Does.Contain(key + ":"));
    }

    [TestCase("100.64.0.2:3000")]
    [TestCase("https://ubongo.boma.example.org:443")]
    [TestCase("netbird-server:80")]
    public void Good_upstreams_pass(string upstream) =>
        Assert.That(Load(v => v["caddy"] = $"{{\"dns01\":true,\"dns01Sites\":[{{\"name\":\"a.boma.example.org\",\"upstream\":\"{upstream}\"}}]}}").Caddy.Dns01Sites.Single().Upstream, Is.EqualTo(upstream));

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var message = Error(v =>
        {
            v["netbird"] = "{\"adminTokenDays\":0}";
            v["caddy"] = "{\"dns01\":true}";
            v["backup"] = "{}";
        });
        Assert.That(message, Does.Contain("boma:netbird.ownerEmail").And.Contain("boma:netbird.adminTokenDays")
            .And.Contain("boma:caddy.dns01Sites").And.Contain("boma:backup.repository"));
    }
}

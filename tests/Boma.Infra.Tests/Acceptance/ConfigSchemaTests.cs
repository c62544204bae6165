// CA1861: expected values read best inline in the assertion.
#pragma warning disable CA1861

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Boma.Infra.Config;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Cli;
using Boma.Pulumi;
using Boma.Infra.Tests.Stacks;
using NUnit.Framework;

namespace Boma.Infra.Tests.Acceptance;

/// <summary>
/// The schema gate (<see cref="ConfigSchema"/>) and the loaders agree on every key and field, a
/// retired key is refused with what replaced it, and every fix hint of both stacks names its stack the same way.
/// </summary>
[TestFixture]
public sealed partial class ConfigSchemaTests
{
    [GeneratedRegex(@"\[[0-9]+\]")]
    private static partial Regex ListIndex();

    /// <summary>Records every top-level key and nested field a loader looks up, list indices written [].</summary>
    private sealed class RecordingSource(IConfigSource inner) : IConfigSource
    {
        public SortedSet<string> Paths { get; } = new(StringComparer.Ordinal);

        public string? Get(string key) => Record(key, inner.Get(key));

        public bool IsSecret(string key) => Record(key, inner.IsSecret(key));

        public Output<string>? GetSecret(string key) => Record(key, inner.GetSecret(key));

        public void Touched(string path) => Paths.Add(ListIndex().Replace(path, "[]"));

        private T Record<T>(string key, T value)
        {
            Paths.Add(key);
            return value;
        }
    }

    /// <summary>An offsite config that sets every structured key and has one item in every list of objects.</summary>
    private static Dictionary<string, string> FullOffsite()
    {
        var values = ValidConfig.Values();
        values["location"] = "hel1";
        values["image"] = "debian-13";
        values["serverType"] = "cx23";
        values["hostName"] = "askari";
        values["offsiteServices"] = "[\"netbird\",\"test\"]";
        values["coordinatorService"] = "netbird";
        values["homeServices"] = "[{\"name\":\"photos\",\"public\":true}]";
        values["dnsTtl"] = "300";
        values["ipv6"] = "true";
        values["backupEnv"] = "AWS_ACCESS_KEY_ID=x";
        values["netbird"] = """
            {"ownerEmail":"admin@example.org","askariKey":{},"ubongoKey":{},"clusterKey":{},"roadWarriorKey":{},
             "policies":[{"name":"admins-ssh","sources":["control"],"destinations":["offsite"],"protocol":"tcp","ports":["22"]}]}
            """;
        values["caddy"] = """{"acmeEmail":"admin@example.org","dns01":true,"dns01Sites":[{"name":"grafana.boma.example.org","upstream":"100.64.0.2:3000"}]}""";
        return values;
    }

    [Test]
    public void The_offsite_loaders_read_exactly_the_keys_and_fields_the_schema_declares()
    {
        var secrets = ValidConfig.SecretKeys();
        secrets.Add("backupEnv");
        var source = new RecordingSource(new DictionaryConfigSource(FullOffsite(), secrets));
        var config = OffsiteConfigLoader.Load(source, "offsite");
        _ = NetbirdSettings.Load(source, config.Domain, "offsite");

        AssertSameSets(source.Paths, ConfigSchema.Paths(ConfigSchema.Offsite));
    }

    [Test]
    public void The_cluster_loader_reads_exactly_the_keys_and_fields_the_schema_declares()
    {
        var (config, secretKeys) = ClusterStackConfigFile.LoadWithSecrets();
        // The example file leaves the optional checksum out; set it so the loader looks its fields up.
        var image = JsonNode.Parse(config["boma:image"])!.AsObject();
        image["checksum"] = new string('a', 128);
        image["checksumAlgorithm"] = "sha512";
        config["boma:image"] = image.ToJsonString();
        var values = config.Where(p => p.Key.StartsWith("boma:", StringComparison.Ordinal)).ToDictionary(p => p.Key[5..], p => p.Value);
        var source = new RecordingSource(new DictionaryConfigSource(values, [.. secretKeys.Select(k => k[5..])]));
        _ = ClusterConfigLoader.Load(source);

        AssertSameSets(source.Paths, ConfigSchema.Paths(ConfigSchema.Cluster));
    }

    private static void AssertSameSets(IEnumerable<string> read, IEnumerable<string> declared)
    {
        var readSet = read.ToHashSet(StringComparer.Ordinal);
        var declaredSet = declared.ToHashSet(StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            // Read but not declared: the gate refuses the field, so it can never be set.
            Assert.That(readSet.Except(declaredSet).Order(), Is.Empty, "read by a loader but missing from config/ConfigSchema.cs");
            // Declared but not read: the gate lets a value through that nothing checks or uses.
            Assert.That(declaredSet.Except(readSet).Order(), Is.Empty, "declared in config/ConfigSchema.cs but read by no loader");
            Assert.That(declaredSet, Has.Count.GreaterThan(20), "the comparison is not vacuous");
        });
    }

    [Test]
    public void The_per_consumer_keys_and_key_rotation_pass_the_gate()
    {
        var netbird = """
            {"ownerEmail":"a@example.org","keyRotation":"2026-12-01","askariKey":{"name":"askari","type":"reusable","expiresInHours":24,"usageLimit":3,"ephemeral":false,"groups":["offsite"]},
             "ubongoKey":{"type":"one-off"},"clusterKey":{"usageLimit":5},"roadWarriorKey":{"expiresInHours":48}}
            """;
        var errors = ConfigSchema.Check(ConfigSchema.Offsite, new Dictionary<string, string> { ["boma:netbird"] = netbird }, new HashSet<string>());
        Assert.That(errors, Is.Empty, string.Join("\n", errors));
    }

    [Test]
    public void The_retired_servers_key_is_refused_with_what_replaced_it()
    {
        var errors = ConfigSchema.Check(ConfigSchema.Offsite,
            new Dictionary<string, string> { ["boma:netbird"] = """{"ownerEmail":"a@example.org","serversKey":{"type":"reusable"}}""" }, new HashSet<string>());
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].Key, Is.EqualTo("boma:netbird.serversKey"));
            Assert.That(errors[0].Problem, Does.Contain("boma:netbird.askariKey").And.Contain("boma:netbird.ubongoKey").And.Contain("boma:netbird.clusterKey"));
            Assert.That(errors[0].Fix, Does.StartWith("pulumi config rm -s offsite --path 'boma:netbird.serversKey'"));
        });

        // A near miss that is not a retired key still gets the nearest spelling.
        var typo = ConfigSchema.Check(ConfigSchema.Offsite,
            new Dictionary<string, string> { ["boma:netbird"] = """{"ownerEmail":"a@example.org","askariKeys":{}}""" }, new HashSet<string>());
        Assert.That(typo.Single().Problem, Does.Contain("did you mean 'askariKey'?"));
    }

    [Test]
    public async Task A_stack_file_with_the_servers_key_is_refused_by_plan()
    {
        var yaml = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.offsite.yaml"))
            .Replace("    ownerEmail: admin@example.org\n", "    ownerEmail: admin@example.org\n    serversKey:\n      type: reusable\n", StringComparison.Ordinal);
        var dir = PlanRunner.TempProject(yaml, "offsite");
        try
        {
            var (exit, stdout, stderr) = await PlanRunner.RunAsync(dir, "plan", "offsite");
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(1), stderr);
                Assert.That(stdout, Is.Empty);
                Assert.That(stderr, Does.Contain("boma:netbird.serversKey: is no longer read").And.Contain("boma:netbird.clusterKey"));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // ---- fix hints -----------------------------------------------------------------------------------------------

    [GeneratedRegex(@"pulumi config (?!(set|rm) -s (offsite|cluster) )")]
    private static partial Regex UnqualifiedCommand();

    private static List<ConfigError> OffsiteErrors()
    {
        var values = FullOffsite();
        values["domain"] = "Example..org";
        values["location"] = "fra1";
        values["dnsTtl"] = "five";
        values["ipv6"] = "yes";
        values["breakGlassCidrs"] = "[\"0.0.0.0/1\",\"128.0.0.0/1\",\"010.1.1.1/32\",\"10.1.1.1/32\",\"10.1.1.1/32\"]";
        values["offsiteServices"] = "[\"Test!\"]";
        values["homeServices"] = "[{\"name\":1},{\"name\":\"x\",\"public\":\"maybe\"},{\"name\":\"x\"}]";
        values["adminPublicKey"] = "ssh-dss AAAA";
        values["hcloudToken"] = "plain";
        var secrets = ValidConfig.SecretKeys();
        secrets.Remove("hcloudToken");
        secrets.Add("ipv6");
        var errors = Assert.Throws<ConfigValidationException>(() => OffsiteConfigLoader.Load(new DictionaryConfigSource(values, secrets), "offsite"))!.Errors.ToList();

        values = FullOffsite();
        values["netbird"] = """
            {"ownerEmail":"x","adminTokenDays":0,"askariKey":{"expiresInHours":0,"usageLimit":0,"name":"a b"},"clusterKey":3,
             "policies":[{"name":"Default","sources":[],"destinations":["x"],"protocol":"icmp","ports":["22"]}]}
            """;
        values["caddy"] = """{"dns01":false,"dns01Sites":[{"name":"a.other.org","upstream":"x"}]}""";
        values["backup"] = """{"repository":"/srv/backup","keepDaily":0}""";
        values.Remove("backupPassword");
        errors.AddRange(Assert.Throws<ConfigValidationException>(() => NetbirdSettings.Load(new DictionaryConfigSource(values, ValidConfig.SecretKeys()), "example.org", "offsite"))!.Errors);

        errors.AddRange(ConfigSchema.Check(ConfigSchema.Offsite, new Dictionary<string, string>
        {
            ["boma:ipV6"] = "true",
            ["boma:dns TTL"] = "1",
            ["boma:vms"] = "[]",
            ["Boma:domain"] = "x",
            ["boma:domain"] = "example.org",
            ["boma:netbird"] = """{"ownerEmial":"a@example.org","policies":[{"nmae":"x"}]}""",
        }, new HashSet<string> { "boma:domain" }));
        return errors;
    }

    private static List<ConfigError> ClusterErrors()
    {
        var (config, _) = ClusterStackConfigFile.LoadWithSecrets();
        config["boma:domain"] = "x";
        var vms = JsonNode.Parse(config["boma:vms"])!.AsArray();
        vms[0]!["cores"] = -1;
        vms[1]!["address"] = "10.9.9.9";
        vms[3]!["vmid"] = vms[0]!["vmid"]!.GetValue<int>();
        config["boma:vms"] = vms.ToJsonString();
        config["boma:mesh"] = """{"setupKeyOutput":"roadWarriorSetupKey"}""";
        var values = config.Where(p => p.Key.StartsWith("boma:", StringComparison.Ordinal)).ToDictionary(p => p.Key[5..], p => p.Value);
        var errors = Assert.Throws<ConfigValidationException>(() => ClusterConfigLoader.Load(new DictionaryConfigSource(values, [])))!.Errors.ToList();
        errors.AddRange(ConfigSchema.Check(ConfigSchema.Cluster, new Dictionary<string, string>
        {
            ["boma:breakGlassCidrs"] = "[]",
            ["boma:netwrok"] = "{}",
            ["boma:proxmox"] = """{"endpiont":"x"}""",
            ["boma:domain"] = "example.net",
        }, new HashSet<string> { "boma:domain" }));
        return errors;
    }

    [Test]
    public void Every_fix_hint_of_both_stacks_names_the_stack_the_same_way()
    {
        foreach (var (stack, errors) in new[] { ("offsite", OffsiteErrors()), ("cluster", ClusterErrors()) })
        {
            // Enough commands that every section and the gate have spoken (a vacuous pass is impossible).
            Assert.That(errors.Count(e => e.Fix.Contains("pulumi config ", StringComparison.Ordinal)), Is.GreaterThan(8), stack);
            Assert.Multiple(() =>
            {
                foreach (var error in errors)
                {
                    Assert.That(UnqualifiedCommand().IsMatch(error.Fix), Is.False, $"{stack}: not 'pulumi config set|rm -s <stack>': {error}");
                    Assert.That(error.Fix, Does.Not.Contain($"-s {(stack == "offsite" ? "cluster" : "offsite")} "), $"{stack}: names the other stack: {error}");
                }
            });
        }
    }

    [Test]
    public void The_fix_helper_is_the_only_place_that_spells_a_config_command()
    {
        var offenders = new List<string>();
        foreach (var folder in new[] { "config", "stacks", "cli", "components" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(PlanRunner.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (Path.GetFileName(file) == "ConfigFix.cs")
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    var code = lines[i].TrimStart();
                    if (!code.StartsWith("//", StringComparison.Ordinal)
                        && (code.Contains("pulumi config set", StringComparison.Ordinal) || code.Contains("pulumi config rm", StringComparison.Ordinal)))
                    {
                        offenders.Add($"{Path.GetRelativePath(PlanRunner.RepoRoot, file)}:{i + 1}: {code}");
                    }
                }
            }
        }

        Assert.That(offenders, Is.Empty, "build fix hints with config/ConfigFix.cs");
    }

    [TestCase("domain", "example.org", "pulumi config set -s offsite boma:domain example.org")]
    [TestCase("vms[2].name", "mlinzi1", "pulumi config set -s offsite --path 'boma:vms[2].name' mlinzi1")]
    [TestCase("netbird.askariKey.usageLimit", "3", "pulumi config set -s offsite --path 'boma:netbird.askariKey.usageLimit' 3")]
    public void The_fix_helper_quotes_paths(string path, string example, string expected) =>
        Assert.That(ConfigFix.Set("offsite", path, example), Is.EqualTo(expected));

    [Test]
    public void A_hostile_key_name_stays_one_quoted_shell_word()
    {
        var fix = ConfigFix.RmKey("offsite", "boma:x'; rm -rf ~ #\n");
        Assert.That(fix, Does.StartWith("pulumi config rm -s offsite '").And.EndWith("'"));
        Assert.That(fix[(fix.IndexOf('\'', StringComparison.Ordinal) + 1)..^1], Does.Not.Contain("'").And.Not.Contain("\n"));
    }
}

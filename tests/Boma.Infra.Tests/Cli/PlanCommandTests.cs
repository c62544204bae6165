// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using System.Text.Json.Nodes;
using Boma.Infra.Policy;
using NUnit.Framework;

namespace Boma.Infra.Tests.Cli;

[TestFixture]
public class PlanCommandTests
{
    // Stack file with encrypted values, as `pulumi config set -s offsite --secret` writes them; the ciphertext must never be printed.
    private const string Ciphertext = "v1:c2VjcmV0LWNpcGhlcnRleHQtbWFya2Vy:AAAAbomaCipherMarker";

    private static readonly string SecureYaml = $"""
        config:
          boma:domain: example.net
          boma:adminUser: kim
          boma:adminPublicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo kim@laptop
          boma:breakGlassCidrs: [198.51.100.0/24]
          boma:hcloudToken:
            secure: {Ciphertext}
          boma:gandiToken:
            secure: {Ciphertext}
          boma:netbird:
            ownerEmail: admin@example.net
          boma:backup:
            repository: sftp://u1@backup.example.net:23//boma
            knownHosts: "[backup.example.net]:23 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0btZkMve17S4CDEJHDB2AJLSl1jtDBL1Dfbj6QLIdw"
          boma:backupPassword:
            secure: {Ciphertext}
        """;

    [Test]
    public async Task Text_plan_prints_the_tree_masked_secrets_unknowns_outputs_and_placeholders()
    {
        var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite");
        Assert.That(exit, Is.EqualTo(0), stderr);
        Assert.Multiple(() =>
        {
            Assert.That(stdout, Does.Contain(" +   pulumi:pulumi:Stack"));
            Assert.That(stdout, Does.Match(@" \+   ├─ boma:hetzner:Vps\s+askari\s+create"));
            Assert.That(stdout, Does.Match(@" \+   │  ├─ hcloud:index/server:Server\s+askari-server\s+create"));
            Assert.That(stdout, Does.Match(@" \+   ├─ boma:host:Bootstrap\s+askari\s+create"));
            Assert.That(stdout, Does.Match(@"   │  ├─ command:remote:Command\s+askari-hosts-pin\s+create"));
            Assert.That(stdout, Does.Match(@"   │  └─ command:remote:Command\s+askari-aide\s+create"));
            Assert.That(stdout, Does.Match(@" \+   └─ boma:netbird:Backup\s+backup\s+create"));
            Assert.That(stdout, Does.Contain("token: [secret]"));
            Assert.That(stdout, Does.Contain("personalAccessToken: [secret]"));
            Assert.That(stdout, Does.Contain("connection: [secret]"));
            Assert.That(stdout, Does.Contain("[protect] [ignoreChanges=userData,sshKeys]"));
            Assert.That(stdout, Does.Contain("firewallIds: [(known after apply)]"));
            Assert.That(stdout, Does.Match(@"publicIpv4\s*: \(known after apply\)"));
            Assert.That(stdout, Does.Match(@"coordinatorFqdn\s*: ""netbird\.askari\.example\.org"""));
            Assert.That(stdout, Does.Contain("break-glass: WAN SSH"));
            Assert.That(stdout, Does.Contain("+ 82 to create"), "79 before the three cluster role keys");
            Assert.That(stdout, Does.Contain("boma:hcloudToken = <offline-placeholder:boma:hcloudToken> [secret]"));
            Assert.That(stdout, Does.Contain("boma:sshPrivateKey = <offline-placeholder:boma:sshPrivateKey> [secret]"));
        });
    }

    [Test]
    public async Task Json_plan_has_the_preview_document_shape_and_passes_the_guard_rules()
    {
        var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--json");
        Assert.That(exit, Is.EqualTo(0), stderr);
        var doc = JsonNode.Parse(stdout)!.AsObject();
        var steps = doc["steps"]!.AsArray();
        var server = steps.Single(s => s!["newState"]!["type"]!.GetValue<string>() == "hcloud:index/server:Server")!;
        var stack = steps.Single(s => s!["newState"]!["type"]!.GetValue<string>() == "pulumi:pulumi:Stack")!;
        Assert.Multiple(() =>
        {
            Assert.That(steps.Select(s => s!["op"]!.GetValue<string>()).Distinct(), Is.EqualTo(new[] { "create" }));
            Assert.That(doc["changeSummary"]!["create"]!.GetValue<int>(), Is.EqualTo(steps.Count));
            Assert.That(server["newState"]!["protect"]!.GetValue<bool>(), Is.True);
            Assert.That(server["newState"]!["ignoreChanges"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EquivalentTo(new[] { "userData", "sshKeys" }));
            Assert.That(server["newState"]!["parent"]!.GetValue<string>(), Does.Contain("boma:hetzner:Vps::askari"));
            Assert.That(server["provider"]!.GetValue<string>(), Does.StartWith("urn:pulumi:offsite::boma::pulumi:providers:hcloud::hcloud::"));
            Assert.That(server["newState"]!["inputs"]!["firewallIds"]![0]!.GetValue<string>(), Is.EqualTo(WireValue.UnknownSentinel));
            Assert.That(doc["config"]!["boma:hcloudToken"]!.GetValue<string>(), Is.EqualTo("[secret]"));
            Assert.That(stack["newState"]!["outputs"]!["hostFqdn"]!.GetValue<string>(), Is.EqualTo("askari.boma.example.org"));
            Assert.That(doc["outputs"]!["publicIpv4"]!.GetValue<string>(), Is.EqualTo(WireValue.UnknownSentinel));
        });

        var hcloud = steps.Single(s => s!["newState"]!["type"]!.GetValue<string>() == "pulumi:providers:hcloud")!;
        Assert.That(hcloud["newState"]!["inputs"]!["token"]!.GetValue<string>(), Is.EqualTo("[secret]"));

        // The guard reads the same document: parse it with guard's reader and apply the rule file.
        var preview = PreviewDocument.Parse(stdout);
        var violations = new InvariantEvaluator(RuleSet.LoadDefault()).CheckPreview(preview.Changes, new HashSet<string>());
        Assert.That(violations, Is.Empty, string.Join("\n", violations));
        Assert.That(preview.Count("create"), Is.EqualTo(82), "79 before the three cluster role keys");
    }

    [Test]
    public async Task Encrypted_values_become_marked_placeholders_and_never_reach_the_output()
    {
        var dir = PlanRunner.TempProject(SecureYaml);
        try
        {
            foreach (var json in new[] { false, true })
            {
                var (exit, stdout, stderr) = json
                    ? await PlanRunner.RunAsync(dir, "plan", "offsite", "--json")
                    : await PlanRunner.RunAsync(dir, "plan", "offsite");
                Assert.That(exit, Is.EqualTo(0), stderr);
                Assert.That(stdout + stderr, Does.Not.Contain("bomaCipherMarker").And.Not.Contain("c2VjcmV0LWNpcGhlcnRleHQtbWFya2Vy"));
                Assert.That(stdout, json ? Does.Contain("\"boma:gandiToken\"") : Does.Contain("<offline-placeholder:boma:gandiToken>"));
                Assert.That(stdout, Does.Contain("example.net"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Real_secret_values_never_appear_in_the_text_or_json_plan()
    {
        // As if the secrets had been decrypted: real values, flagged secret. The plan must mask all of them.
        var values = Boma.Infra.Tests.Config.ValidConfig.Values().ToDictionary(p => "boma:" + p.Key, p => p.Value);
        var secrets = Boma.Infra.Tests.Config.ValidConfig.SecretKeys().Select(k => "boma:" + k).ToHashSet();
        var (result, plan, _) = await Boma.Infra.Cli.PlanCommand.RunAsync("boma", "offsite", Boma.Infra.Cli.StackConfigFile.FromValues(values, secrets));
        Assert.That(result.Exception, Is.Null);
        var text = Boma.Infra.Cli.PlanTextRenderer.Render(plan);
        var json = Boma.Infra.Cli.PlanJsonRenderer.Render(plan);
        foreach (var secret in Boma.Infra.Tests.Config.ValidConfig.SecretMarkers)
        {
            // The recorded wire form does hold each value (inside a secret wrapper): the masking is what keeps it out.
            Assert.That(plan.Resources.Any(r => r.Inputs.ToJsonString().Contains(secret, StringComparison.Ordinal)), Is.True, secret);
            Assert.That(text, Does.Not.Contain(secret));
            Assert.That(json, Does.Not.Contain(secret));
        }

        Assert.That(text, Does.Contain("token: [secret]").And.Contain("connection: [secret]"));
    }

    [Test]
    public async Task Placeholders_stand_in_for_secrets_but_are_never_printed_where_a_secret_would_be()
    {
        var (_, text, _) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite");
        var (_, json, _) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--json");
        var doc = JsonNode.Parse(json)!.AsObject();
        // Placeholders appear only in the list of what was stood in for, never as a resource input or output value.
        Assert.That(doc["steps"]!.ToJsonString(), Does.Not.Contain("offline-placeholder"));
        Assert.That(doc["offlinePlaceholders"]!.AsArray().Select(n => n!.GetValue<string>()),
            Is.EqualTo(new[] { "boma:hcloudToken", "boma:gandiToken", "boma:sshPrivateKey", "boma:backupPassword", "boma:backupSshKey" }));
        var details = text[..text.IndexOf("Offline placeholders", StringComparison.Ordinal)];
        Assert.That(details, Does.Not.Contain("offline-placeholder"));
    }

    [Test]
    public async Task Out_writes_every_known_host_file_and_lists_the_rest()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "boma-out-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--out", outDir);
            Assert.That(exit, Is.EqualTo(0), stderr);
            var files = Directory.GetFiles(outDir, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(outDir, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.That(files.Where(f => f.StartsWith("askari/bootstrap/", StringComparison.Ordinal) || f.StartsWith("askari/cloud-init/", StringComparison.Ordinal)), Is.EqualTo(new[]
            {
                "askari/bootstrap/aide.sh", "askari/bootstrap/apparmor.sh", "askari/bootstrap/auditd.sh", "askari/bootstrap/base.sh",
                "askari/bootstrap/baseline.sh", "askari/bootstrap/docker.sh", "askari/bootstrap/fail2ban.sh", "askari/bootstrap/journald.sh",
                "askari/bootstrap/nftables.sh", "askari/bootstrap/sshd.sh", "askari/bootstrap/updates.sh", "askari/cloud-init/user-data.yaml",
            }));
            // The mesh part's host files (none holds a secret: config.yaml and the env files exist only on askari).
            Assert.That(files, Does.Contain("askari/netbird/compose.yaml").And.Contain("askari/netbird/config.yaml.tmpl")
                .And.Contain("askari/caddy/Caddyfile").And.Contain("askari/backup/boma-netbird-backup.timer")
                .And.Contain("askari/netbird-api/policies.json"));
            Assert.That(files, Has.None.EqualTo("askari/netbird/config.yaml").And.None.Contains(".env"));
            Assert.That(stdout, Does.Contain("askari/bootstrap/hosts-pin.sh: not written, it needs values (known after apply)"));
            var nft = File.ReadAllText(Path.Combine(outDir, "askari/bootstrap/nftables.sh"));
            Assert.That(nft, Does.Contain("203.0.113.7/32").And.Contain("2001:db8:1234::/48"));
            foreach (var file in files)
            {
                Assert.That(File.ReadAllText(Path.Combine(outDir, file)), Does.Not.Contain("offline-placeholder").And.Not.Contain("PRIVATE KEY-----\n"), file);
            }
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [Test]
    public async Task Host_files_go_to_the_folder_of_the_configured_host_name()
    {
        // boma:hostName is configurable, so no host file may sit in a folder named after the default host.
        var stack = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.offsite.yaml"));
        Assert.That(stack, Does.Contain("  boma:hostName: askari\n"));
        var dir = PlanRunner.TempProject(stack.Replace("  boma:hostName: askari\n", "  boma:hostName: kifaru\n", StringComparison.Ordinal));
        var outDir = Path.Combine(dir, "out");
        try
        {
            var (exit, _, stderr) = await PlanRunner.RunAsync(dir, "plan", "offsite", "--out", outDir);
            Assert.That(exit, Is.EqualTo(0), stderr);
            var folders = Directory.GetDirectories(outDir).Select(Path.GetFileName).ToList();
            Assert.That(folders, Is.EqualTo(new[] { "kifaru" }));
            Assert.That(Directory.GetDirectories(Path.Combine(outDir, "kifaru")).Select(Path.GetFileName),
                Is.SupersetOf(new[] { "bootstrap", "cloud-init", "netbird", "netbird-api", "caddy", "backup" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Bad_config_fails_with_every_key_and_fix_and_prints_no_plan()
    {
        var dir = PlanRunner.TempProject("""
            config:
              boma:domain: Example
              boma:adminUser: root
              boma:adminPublicKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo kim@laptop
              boma:breakGlassCidrs: [0.0.0.0/0]
            """);
        try
        {
            var (exit, stdout, stderr) = await PlanRunner.RunAsync(dir, "plan", "offsite");
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr, Does.Contain("boma:domain").And.Contain("boma:adminUser").And.Contain("boma:breakGlassCidrs[0]"));
            Assert.That(stderr, Does.Contain("fix: pulumi config set -s offsite --path 'boma:breakGlassCidrs[0]'"));
            Assert.That(stderr, Does.Contain("nothing was created"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase(new string[0], 64, "no verb given")]
    [TestCase(new[] { "deploy" }, 64, "unknown verb 'deploy'")]
    [TestCase(new[] { "plan" }, 64, "which stack?")]
    [TestCase(new[] { "plan", "staging" }, 64, "unknown stack 'staging'")]
    [TestCase(new[] { "plan", "offsite", "--out" }, 64, "--out needs a directory")]
    [TestCase(new[] { "plan", "offsite", "--yaml" }, 64, "unknown option '--yaml'")]
    public async Task Usage_errors_exit_64_with_a_message(string[] args, int code, string message)
    {
        var (exit, _, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, args);
        Assert.That(exit, Is.EqualTo(code));
        Assert.That(stderr, Does.Contain(message));
    }

    [Test]
    public async Task Program_warnings_show_as_diagnostics()
    {
        var dir = PlanRunner.TempProject(SecureYaml.Replace("[198.51.100.0/24]", "[198.51.100.0/22]", StringComparison.Ordinal));
        try
        {
            var (exit, text, stderr) = await PlanRunner.RunAsync(dir, "plan", "offsite");
            Assert.That(exit, Is.EqualTo(0), stderr);
            Assert.That(text, Does.Contain("Diagnostics:\n    pulumi:pulumi:Stack (warning): boma:breakGlassCidrs: 198.51.100.0/22 lets a large range reach SSH"));
            var (_, json, _) = await PlanRunner.RunAsync(dir, "plan", "offsite", "--json");
            var diagnostics = JsonNode.Parse(json)!["diagnostics"]!.AsArray();
            Assert.That(diagnostics.Select(d => d!["severity"]!.GetValue<string>()), Is.EqualTo(new[] { "warning" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        var (_, clean, _) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite");
        Assert.That(clean, Does.Not.Contain("Diagnostics:"));
    }

    [Test]
    public async Task The_plan_is_the_same_on_every_run()
    {
        // Registrations resolve concurrently; the printed order follows the program, so plans diff cleanly in review.
        var first = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--json");
        var second = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--json");
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout));
        var order = JsonNode.Parse(first.Stdout)!["steps"]!.AsArray().Select(s => s!["urn"]!.GetValue<string>().Split("::")[^1]).ToList();
        Assert.That(order.IndexOf("askari-base"), Is.LessThan(order.IndexOf("askari-hosts-pin")));
        Assert.That(order[0], Is.EqualTo("boma-offsite"));
    }
}

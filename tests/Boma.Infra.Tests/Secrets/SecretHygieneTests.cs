using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using Boma.Infra.Config;
using Boma.Infra.Policy;
using Boma.Infra.Stacks;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Secrets;

/// <summary>
/// End-to-end secret hygiene for both stacks: every secret config key, every random resource and every
/// secret-bearing command output is a distinctive canary, and every channel that can print or write
/// (wire inputs, stack and component outputs, logs, commands' logging and secret outputs, the plan's
/// text, JSON and host files, guard, the runbook) is scanned. A canary may only travel inside a secret
/// wrapper, so the fixture fails as soon as any component stops marking one of them.
/// </summary>
[TestFixture]
public sealed class SecretHygieneTests
{
    // Every canary starts with this, so one scan catches them all. All values are fake and made up here.
    private const string Canary = "CANARY-";

    private const string HcloudToken = "CANARY-HCLOUD-7f3a91c2e4";
    private const string GandiToken = "CANARY-GANDI-5b2e8d10aa";
    private const string SshKeyBody = "CANARY-SSHKEY-c0ffee4242";
    private const string BackupPassword = "CANARY-RESTICPW-9d8c7b6a";
    private const string BackupEnv = "CANARY-BACKUPENV-31415926";
    private const string ProxmoxToken = "CANARY-PROXMOX-27182818";
    private const string ClusterSshKeyBody = "CANARY-CLUSTERSSH-16180339";
    private const string ServersKey = "CANARY-OFFSITE-SERVERSKEY-0a1b2c";
    private const string RandomPrefix = "CANARY-RANDOM-";
    private const string AdminTokenPrefix = "CANARY-NBTOKEN-";
    private const string SetupKeyPrefix = "CANARY-SETUPKEY-";
    private const string MeshIp = "100.90.12.1";

    private static readonly string[] SecretStackOutputs = ["clusterSetupKeys", "serversSetupKey", "roadWarriorSetupKey", "netbirdAdminToken", "netbirdOwnerPassword", "ubongoEnrolCommand"];

    private static readonly string[] CommandPayload = ["stdin", "environment", "create", "update", "delete"];
    private static readonly string[] StdoutStderr = ["stdout", "stderr"];
    private static readonly string[] SecretStdinCommands = ["caddy-gandi-env", "backup-restic-env"];

    private static string PrivateKey(string body) => $"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----\n";

    /// <summary>The offsite config with every secret key a canary; DNS-01 on, so the Gandi token also reaches Caddy.</summary>
    private static (Dictionary<string, string> Values, HashSet<string> Secrets) OffsiteCanaryConfig()
    {
        var values = ValidConfig.Values();
        values["hcloudToken"] = HcloudToken;
        values["gandiToken"] = GandiToken;
        values["sshPrivateKey"] = PrivateKey(SshKeyBody);
        values["backupPassword"] = BackupPassword;
        values["backupEnv"] = $"AWS_ACCESS_KEY_ID=AKIAFAKE\nAWS_SECRET_ACCESS_KEY={BackupEnv}";
        values["caddy"] = """{"dns01": true, "dns01Sites": [{"name": "grafana.boma.example.org", "upstream": "100.64.0.2:3000"}]}""";
        var secrets = ValidConfig.SecretKeys();
        secrets.Add("backupEnv");
        return (values.ToDictionary(p => "boma:" + p.Key, p => p.Value), secrets.Select(k => "boma:" + k).ToHashSet());
    }

    private static (Dictionary<string, string> Values, HashSet<string> Secrets) ClusterCanaryConfig()
    {
        var (values, secrets) = ClusterStackConfigFile.LoadWithSecrets();
        values["boma:proxmoxApiToken"] = $"boma@pve!pulumi={ProxmoxToken}";
        values["boma:sshPrivateKey"] = PrivateKey(ClusterSshKeyBody);
        return (values, secrets);
    }

    // The same program as Entry.ProgramFor, keeping the build so its host files can be scanned after an apply.
    private static async Task<(TestResult Result, StackBuild? Build)> RunOffsite()
    {
        var (values, secrets) = OffsiteCanaryConfig();
        StackBuild? build = null;
        var result = await Deployment.TestAsync(new CanaryMocks(), () => (build = OffsiteStack.Run(new PulumiConfigSource(secrets))).Outputs,
            new TestOptions { ProjectName = "boma", StackName = "offsite", Config = values, SecretKeys = secrets });
        return (result, build);
    }

    // The offsite stack did not mark its key secret here: the cluster must mark it itself.
    private static async Task<(TestResult Result, StackBuild? Build)> RunCluster()
    {
        var (values, secrets) = ClusterCanaryConfig();
        var offsite = ClusterMocks.OffsiteOutputs();
        offsite["clusterSetupKeys"] = new Dictionary<string, object?> { ["dns"] = ServersKey + "-dns", ["docker"] = ServersKey + "-docker", ["storage"] = ServersKey };
        StackBuild? build = null;
        var result = await Deployment.TestAsync(new ClusterMocks(offsite, markSetupKeySecret: false), () => (build = ClusterStack.Run(new PulumiConfigSource(secrets))).Outputs,
            new TestOptions { ProjectName = "boma", StackName = "cluster", Config = values, SecretKeys = secrets });
        return (result, build);
    }

    private static readonly string[] OffsiteCanaries = [HcloudToken, GandiToken, SshKeyBody, BackupPassword, BackupEnv, RandomPrefix, AdminTokenPrefix, SetupKeyPrefix];
    private static readonly string[] ClusterCanaries = [ProxmoxToken, ClusterSshKeyBody, ServersKey];

    /// <summary>The JSON text of a wire value with every secret-wrapped part cut out: what anyone sees in clear.</summary>
    private static string Plain(JsonNode? value) => value switch
    {
        _ when WireValue.IsSecret(value) => "\"[secret]\"",
        JsonObject o => "{" + string.Join(",", o.Select(p => $"\"{p.Key}\":{Plain(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Plain)) + "]",
        null => "null",
        _ => value.ToJsonString(),
    };

    private static void AssertNoCanary(string text, string channel)
    {
        var at = text.IndexOf(Canary, StringComparison.Ordinal);
        // Never print the surroundings in full: name the channel and a short excerpt so the leak can be found.
        Assert.That(at, Is.EqualTo(-1), () => $"{channel}: a canary in plain text: …{text[Math.Max(0, at - 80)..Math.Min(text.Length, at + 40)]}…");
    }

    private static async Task AssertChannelsClean(TestResult result, StackBuild? build, IEnumerable<string> canaries)
    {
        // Host files after an apply (every value known): what `plan --out` would write, and none may be secret.
        Assert.That(build, Is.Not.Null);
        foreach (var file in build!.HostFiles)
        {
            var data = await file.Content.GetOutputDataAsync();
            Assert.That(data.IsSecret, Is.False, $"host file {file.Path} is secret: plan --out would refuse it");
            AssertNoCanary(data.Value ?? "", $"host file {file.Path}");
        }

        var wire = string.Join("\n", result.Registrations.Select(r => r.Inputs.ToJsonString()).Concat(result.OutputRegistrations.Select(o => o.Outputs.ToJsonString())));
        Assert.Multiple(() =>
        {
            // Non-vacuous: each canary does reach the wire, so the scans below would see it if a marking went.
            foreach (var canary in canaries)
            {
                Assert.That(wire.Contains(canary, StringComparison.Ordinal), Is.True, $"the canary {canary} never reached a registration or an output");
            }

            foreach (var r in result.Registrations)
            {
                AssertNoCanary(Plain(r.Inputs), $"inputs of {r.Urn}");
            }

            foreach (var o in result.OutputRegistrations)
            {
                AssertNoCanary(Plain(o.Outputs), $"outputs of {o.Urn}");
            }

            foreach (var log in result.Logs)
            {
                AssertNoCanary(log.Message, $"log record on {log.Urn}");
            }

            foreach (var command in result.OfType("command:remote:Command"))
            {
                // The connection always carries the SSH key and is secret; what the command runs with decides the rest.
                Assert.That(WireValue.IsSecret(command.Inputs["connection"]), Is.True, $"{command.Urn}: connection");
                if (CarriesCanary(command))
                {
                    Assert.That(command.InputString("logging"), Is.EqualTo("none"), $"{command.Urn}: logging");
                    Assert.That(command.Request.AdditionalSecretOutputs, Is.SupersetOf(StdoutStderr), $"{command.Urn}: secret outputs");
                }
            }
        });
    }

    /// <summary>Whether what the command runs with (not its connection) holds a canary anywhere, wrapped or not.</summary>
    private static bool CarriesCanary(RecordedRegistration command) => CommandPayload
        .Any(k => command.Inputs.TryGetPropertyValue(k, out var v) && (v?.ToJsonString() ?? "").Contains(Canary, StringComparison.Ordinal));

    [Test]
    public async Task Offsite_every_wire_input_output_log_and_command_keeps_the_canaries_secret()
    {
        var (run, build) = await RunOffsite();
        var result = run.Ok();
        await AssertChannelsClean(result, build, OffsiteCanaries);

        var stack = result.OutputRegistrations.Last(o => o.Urn == result.StackUrn).Outputs;
        Assert.Multiple(() =>
        {
            foreach (var name in SecretStackOutputs)
            {
                Assert.That(WireValue.IsSecret(stack[name]), Is.True, $"stack output {name} must be secret");
                Assert.That(stack[name]!.ToJsonString(), Does.Contain(Canary), $"stack output {name} carries a canary");
            }

            // The secret-stdin commands exist (the Gandi token step, the backup env, NetBird's config): the scan saw them.
            Assert.That(result.Registrations.Select(r => r.Request.Name), Is.SupersetOf(SecretStdinCommands));
        });
    }

    [Test]
    public async Task Cluster_every_wire_input_output_log_and_command_keeps_the_canaries_secret()
    {
        var (run, build) = await RunCluster();
        await AssertChannelsClean(run.Ok(), build, ClusterCanaries);
    }

    [TestCase("offsite")]
    [TestCase("cluster")]
    public async Task Plan_text_json_diagnostics_and_host_files_hold_no_canary(string stack)
    {
        var (values, secrets) = stack == "offsite" ? OffsiteCanaryConfig() : ClusterCanaryConfig();
        var (result, plan, build) = await PlanCommand.RunAsync("boma", stack, StackConfigFile.FromValues(values, secrets));
        Assert.That(result.Exception, Is.Null, () => result.Exception!.Message);
        Assert.That(plan.Resources.Any(r => r.Inputs.ToJsonString().Contains(Canary, StringComparison.Ordinal)), Is.True, "the canaries reach the plan");

        var dir = Path.Combine(Path.GetTempPath(), "boma-secrets-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Exactly what `plan --out DIR` writes (it refuses a secret host file, which would fail here too).
            using var report = new StringWriter();
            await PlanCommand.WriteHostFilesAsync(build!.HostFiles, dir, report);
            var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories);
            Assert.That(files, Is.Not.Empty);
            Assert.Multiple(() =>
            {
                AssertNoCanary(PlanTextRenderer.Render(plan), "plan text");
                AssertNoCanary(PlanJsonRenderer.Render(plan), "plan --json");
                AssertNoCanary(string.Join("\n", plan.Diagnostics.Select(d => d.Message)), "plan diagnostics");
                AssertNoCanary(report.ToString(), "plan --out report");
                foreach (var file in files)
                {
                    AssertNoCanary(File.ReadAllText(file), $"plan --out file {Path.GetRelativePath(dir, file)}");
                }
            });

            // The preview already shows every command that receives a secret as such, although the values are
            // unknown then: otherwise guard's secret-command rule could not see it in a `pulumi preview --json`.
            var (applied, _) = stack == "offsite" ? await RunOffsite() : await RunCluster();
            var previewInputs = JsonNode.Parse(PlanJsonRenderer.Render(plan))!["steps"]!.AsArray()
                .ToDictionary(step => (string)step!["urn"]!, step => step!["newState"]!["inputs"]!.AsObject());
            var carrying = applied.Ok().OfType("command:remote:Command").Where(CarriesCanary).ToList();
            Assert.That(carrying, Is.Not.Empty);
            Assert.Multiple(() =>
            {
                foreach (var command in carrying)
                {
                    Assert.That(CommandPayload.Any(k => WireValue.ContainsSecret(previewInputs[command.Urn][k])), Is.True,
                        $"{command.Urn}: its secret input is not marked secret in the preview");
                }
            });

            // guard over that plan JSON, compliant and with a secret-stdin command's logging switched on (an unknown
            // stdin is the bare sentinel in a preview, as in Pulumi's, so pick one whose stdin is known and masked).
            var json = Path.Combine(dir, "plan.json");
            File.WriteAllText(json, PlanJsonRenderer.Render(plan));
            var broken = JsonNode.Parse(PlanJsonRenderer.Render(plan))!;
            var secretCommand = broken["steps"]!.AsArray().First(s => (string?)s!["newState"]!["type"] == "command:remote:Command"
                && (string?)s!["newState"]!["inputs"]!["stdin"] == PlanValues.SecretMarker)!;
            secretCommand["newState"]!["inputs"]!["logging"] = "stdoutAndStderr";
            var brokenPath = Path.Combine(dir, "broken.json");
            File.WriteAllText(brokenPath, broken.ToJsonString());
            foreach (var (path, exit) in new[] { (json, 0), (brokenPath, 1) })
            {
                using var stdout = new StringWriter();
                using var stderr = new StringWriter();
                Assert.That(GuardCommand.Run([path], TextReader.Null, stdout, stderr), Is.EqualTo(exit), stderr.ToString());
                AssertNoCanary(stdout + "\n" + stderr, $"guard {Path.GetFileName(path)}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("offsite", "--json")]
    [TestCase("offsite", "--out")]
    [TestCase("cluster", "--json")]
    [TestCase("cluster", "--out")]
    public async Task The_cli_never_echoes_a_canary_from_the_stack_file(string stack, string mode)
    {
        // Canaries as `secure:` ciphertext (stands in, never printed), and one stored in clear by mistake (an error that must not quote it).
        var secure = stack == "offsite"
            ? $"""
              boma:hcloudToken:
                secure: v1:{HcloudToken}
              boma:gandiToken:
                secure: v1:{GandiToken}
              boma:backupPassword:
                secure: v1:{BackupPassword}
              boma:backupEnv:
                secure: v1:{BackupEnv}
              """
            : $"""
              boma:proxmoxApiToken:
                secure: v1:{ProxmoxToken}
              """;
        var clear = stack == "offsite" ? $"boma:sshPrivateKey: {SshKeyBody}" : $"boma:sshPrivateKey: {ClusterSshKeyBody}";
        var original = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, $"Pulumi.{stack}.yaml"));
        var indent = "\n  ";
        var withSecure = original + indent + secure.Replace("\n", indent, StringComparison.Ordinal) + "\n";
        foreach (var (yaml, exit) in new[] { (withSecure, 0), (withSecure + "  " + clear + "\n", 1) })
        {
            var project = PlanRunner.TempProject(yaml, stack);
            try
            {
                var outDir = Path.Combine(project, "out");
                string[] args = mode == "--out" ? ["plan", stack, "--out", outDir] : ["plan", stack, "--json"];
                var (code, stdout, stderr) = await PlanRunner.RunAsync(project, [.. args]);
                Assert.That(code, Is.EqualTo(exit), stderr);
                if (exit == 1)
                {
                    Assert.That(stderr, Does.Contain("boma:sshPrivateKey"), "the error names the key");
                }

                AssertNoCanary(stdout + "\n" + stderr, $"plan {stack} {mode} output");
                foreach (var file in Directory.Exists(outDir) ? Directory.GetFiles(outDir, "*", SearchOption.AllDirectories) : [])
                {
                    AssertNoCanary(File.ReadAllText(file), $"plan {stack} --out file {Path.GetRelativePath(outDir, file)}");
                }
            }
            finally
            {
                Directory.Delete(project, recursive: true);
            }
        }
    }

    [Test]
    public async Task The_default_runbook_leaves_the_live_setup_key_out()
    {
        var result = (await RunOffsite()).Result.Ok();
        // As `pulumi stack output --json --show-secrets` prints them: secrets in clear.
        var outputs = new JsonObject();
        foreach (var name in RunbookOutputs.Names)
        {
            outputs[name] = result.StackOutputs[name]!.ToString();
        }

        Assert.That((string?)outputs[RunbookOutputs.SecretName], Does.StartWith(SetupKeyPrefix));
        var dir = Path.Combine(Path.GetTempPath(), "boma-runbook-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = RunbookCommand.Run(["offsite"], new StringReader(outputs.ToJsonString()), false, stdout, stderr, dir);
            Assert.That(code, Is.EqualTo(0), stderr.ToString());
            var written = File.ReadAllText(Path.Combine(dir, RunbookCommand.DefaultOut));
            Assert.That(written, Does.Contain("--management-url https://netbird.askari.example.org"));
            AssertNoCanary(written, "runbook file");
            AssertNoCanary(stdout + "\n" + stderr, "runbook output");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The cloud mocks, with canaries for everything random and for the commands that print a secret.</summary>
    private sealed class CanaryMocks : IMocks
    {
        private readonly CloudMocks _cloud = new();

        public async Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
        {
            var (id, state) = await _cloud.NewResourceAsync(args);
            var outputs = new Dictionary<string, object?>((IDictionary<string, object?>)state);
            switch (args.Type)
            {
                case "random:index/randomPassword:RandomPassword":
                    outputs["result"] = $"{RandomPrefix}{args.Name}";
                    outputs["bcryptHash"] = $"$2a$10${RandomPrefix}{args.Name}";
                    break;
                case "random:index/randomBytes:RandomBytes":
                    outputs["base64"] = $"{RandomPrefix}{args.Name}=";
                    outputs["hex"] = $"{RandomPrefix}{args.Name}-hex";
                    break;
                case "command:remote:Command" when args.Name.EndsWith("-setup", StringComparison.Ordinal):
                    outputs["stdout"] = $"{AdminTokenPrefix}{args.Name}\n";
                    break;
                case "command:remote:Command" when args.Name.EndsWith("-key", StringComparison.Ordinal):
                    outputs["stdout"] = $"{SetupKeyPrefix}{args.Name}\n";
                    break;
                case "command:remote:Command" when args.Name.EndsWith("-askari-enrol", StringComparison.Ordinal):
                    outputs["stdout"] = MeshIp + "\n";
                    break;
                default:
                    break;
            }

            return (id ?? $"{args.Name}-id", outputs);
        }

        public Task<object> CallAsync(MockCallArgs args) => _cloud.CallAsync(args);
    }
}

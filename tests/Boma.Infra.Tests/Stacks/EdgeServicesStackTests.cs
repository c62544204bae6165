using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using Boma.Infra.Components;
using Boma.Infra.Config;
using Boma.Infra.Policy;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Config;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

/// <summary>The NetBird part of the offsite stack under Deployment.TestAsync: outputs, secrets, ordering, triggers.</summary>
[TestFixture]
public sealed partial class EdgeServicesStackTests
{
    private static readonly string[] ComposeProjects = ["netbird", "caddy"];
    private static readonly string[] SetupKeyCommands = ["peers-askari-key", "peers-ubongo-key", "peers-cluster-key", "peers-road-warrior-key"];
    private static readonly string[] MeshComponents = ["NetbirdServer", "Peers", "CaddyProxy", "Backup"];
    private static readonly string[] RedeployCommands = ["netbird-up", "caddy-up", "netbird-setup", "peers-policies"];

    private static Task<TestResult> Run(Action<Dictionary<string, string>>? edit = null, bool preview = false)
    {
        var options = ValidConfig.Offsite(edit, preview);
        return Deployment.TestAsync(new NetbirdMocks(), Entry.ProgramFor("offsite", options.SecretKeys)!, options);
    }

    private static IEnumerable<RecordedRegistration> Commands(TestResult result, string component) =>
        result.Registrations.Where(r => r.Request.Type == "command:remote:Command" && r.Request.Parent.Contains(component, StringComparison.Ordinal));

    private static RecordedRegistration Named(TestResult result, string name) => result.Registrations.Single(r => r.Request.Name == name);

    [Test]
    public async Task The_stack_exports_the_runbook_contract_and_the_runbook_renders_from_it()
    {
        var result = (await Run()).Ok();
        var outputs = result.StackOutputs;
        Assert.Multiple(() =>
        {
            Assert.That(outputs["managementUrl"], Is.EqualTo("https://netbird.askari.example.org"));
            Assert.That(outputs["dashboardUrl"], Is.EqualTo("https://netbird.askari.example.org"));
            Assert.That(outputs["askariIpv4"], Is.EqualTo(CloudMocks.Ipv4));
            Assert.That(outputs["askariIpv6"], Is.EqualTo(CloudMocks.ServerIpv6));
            Assert.That(outputs["askariMeshIp"], Is.EqualTo(NetbirdMocks.MeshIp));
            Assert.That(outputs["roadWarriorSetupKey"], Is.EqualTo($"{NetbirdMocks.KeyMarker}-peers-road-warrior-key"));
            Assert.That(outputs["meshDnsDomain"], Is.EqualTo("boma.example.org"));
        });

        // The same names feed the runbook verb: a complete set renders.
        var json = new JsonObject();
        foreach (var name in RunbookOutputs.Names)
        {
            json[name] = outputs[name]!.ToString();
        }

        var parsed = RunbookOutputs.Parse(json.ToJsonString());
        Assert.That(RunbookTemplate.Render(RunbookTemplate.Load(), parsed, withSecrets: false), Does.Contain("--management-url https://netbird.askari.example.org"));
    }

    [Test]
    public async Task The_runbooks_key_rotation_command_names_the_real_resource()
    {
        var result = (await Run()).Ok();
        var urn = Named(result, "peers-road-warrior-key").Urn;
        Assert.That(RunbookTemplate.Load(), Does.Contain($"--replace '{urn}'"));
    }

    [Test]
    public async Task Secret_outputs_are_secret_on_the_wire_and_the_rest_carry_no_secret()
    {
        var result = (await Run()).Ok();
        var stack = result.OutputRegistrations.Last(o => o.Urn == result.Single("pulumi:pulumi:Stack").Urn).Outputs;
        string[] secret = ["serversSetupKey", "roadWarriorSetupKey", "netbirdAdminToken", "netbirdOwnerPassword", "ubongoEnrolCommand"];
        foreach (var name in secret)
        {
            Assert.That(WireValue.IsSecret(stack[name]), Is.True, $"{name} must be a secret output");
        }

        foreach (var (name, value) in stack)
        {
            if (secret.Contains(name))
            {
                continue;
            }

            foreach (var marker in NetbirdMocks.SecretMarkers.Concat(ValidConfig.SecretMarkers))
            {
                Assert.That(value?.ToJsonString() ?? string.Empty, Does.Not.Contain(marker), $"output {name}");
            }
        }
    }

    [Test]
    public async Task No_secret_appears_in_plain_text_in_any_input_output_or_log()
    {
        var result = (await Run()).Ok();
        var plain = string.Join("\n", result.Registrations.Select(r => Plain(r.Inputs)))
                    + string.Join("\n", result.OutputRegistrations.Select(o => Plain(o.Outputs)))
                    + string.Join("\n", result.Logs.Select(l => l.ToString()));
        foreach (var marker in NetbirdMocks.SecretMarkers.Concat(ValidConfig.SecretMarkers))
        {
            Assert.That(plain, Does.Not.Contain(marker));
        }
    }

    [Test]
    public async Task Every_command_of_the_mesh_components_is_secret_safe()
    {
        var result = (await Run()).Ok();
        var commands = MeshComponents
            .SelectMany(c => Commands(result, c)).ToList();
        Assert.That(commands, Has.Count.EqualTo(13), "3 NetBird + 7 peers + 1 Caddy + 2 backup commands");
        foreach (var command in commands)
        {
            Assert.Multiple(() =>
            {
                Assert.That(command.InputString("logging"), Is.EqualTo("none"), command.Urn);
                Assert.That(command.Request.AdditionalSecretOutputs, Does.Contain("stderr"), command.Urn);
                Assert.That(WireValue.IsSecret(command.Inputs["connection"]), Is.True, command.Urn);
                if (command.Inputs.ContainsKey("stdin"))
                {
                    Assert.That(WireValue.IsSecret(command.Inputs["stdin"]), Is.True, $"{command.Urn}: stdin carries secrets");
                }

                if (!command.Request.Name.EndsWith("-askari-enrol", StringComparison.Ordinal))
                {
                    Assert.That(command.Request.AdditionalSecretOutputs, Does.Contain("stdout"), command.Urn);
                }

                // Secrets go on stdin, never into the command line.
                foreach (var marker in NetbirdMocks.SecretMarkers.Concat(ValidConfig.SecretMarkers))
                {
                    Assert.That(command.InputString("create") ?? string.Empty, Does.Not.Contain(marker), command.Urn);
                }
            });
        }
    }

    [Test]
    public async Task Commands_with_a_delete_are_deleted_before_they_are_replaced()
    {
        // Otherwise a changed file would run `up` for the new resource and then the old one's `down`.
        var result = (await Run()).Ok();
        var withDelete = MeshComponents.SelectMany(c => Commands(result, c)).Where(c => c.Inputs.ContainsKey("delete")).ToList();
        Assert.That(withDelete.Select(c => c.Request.Name), Is.EquivalentTo(CommandsWithDelete));
        Assert.That(withDelete.Select(c => c.Request.DeleteBeforeReplace), Is.All.True);
    }

    private static readonly string[] CommandsWithDelete = ["netbird-up", "caddy-up", "backup-enable"];

    [TestCase(false)]
    [TestCase(true)]
    public async Task Every_staged_file_a_command_reads_is_the_one_a_copy_writes(bool dns01)
    {
        // A copy under one name and a command reading another would deploy nothing (or a stale file).
        var result = (await Run(v =>
        {
            if (dns01)
            {
                v["caddy"] = """{"dns01": true, "dns01Sites": [{"name": "grafana.boma.example.org", "upstream": "100.64.0.2:3000"}]}""";
            }
        })).Ok();
        var staged = result.Registrations.Where(r => r.Request.Type == "command:remote:CopyToRemote")
            .Select(r => r.InputString("remotePath")!).ToHashSet(StringComparer.Ordinal);
        var read = MeshComponents.SelectMany(c => Commands(result, c))
            .SelectMany(c => StagedPath().Matches(c.InputString("create") ?? string.Empty).Select(m => (Command: c.Request.Name, Path: m.Value)))
            .ToList();
        Assert.That(read, Has.Count.GreaterThanOrEqualTo(5), "the commands do read staged files");
        Assert.That(read.Where(r => !staged.Contains(r.Path)), Is.Empty, "staged: " + string.Join(", ", staged.Order(StringComparer.Ordinal)));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/\S+/\.boma-stage/[^\s;&|)'""]+")]
    private static partial System.Text.RegularExpressions.Regex StagedPath();

    [Test]
    public async Task Changing_the_key_rotation_replaces_every_setup_key_command_and_nothing_else_in_peers()
    {
        var before = (await Run()).Ok();
        var after = (await Run(v => v["netbird"] = """{"ownerEmail": "admin@example.org", "keyRotation": "2026-12-02"}""")).Ok();
        JsonNode? Triggers(TestResult r, string name) => Named(r, name).Input("triggers");
        Assert.Multiple(() =>
        {
            foreach (var key in SetupKeyCommands)
            {
                Assert.That(JsonNode.DeepEquals(Triggers(before, key), Triggers(after, key)), Is.False, key);
                Assert.That(Named(after, key).InputString("create"), Does.Contain("NB_KEY_ROTATION=2026-12-02"), key);
            }

            Assert.That(JsonNode.DeepEquals(Triggers(before, "peers-policies"), Triggers(after, "peers-policies")), Is.True);
        });
    }

    [Test]
    public async Task The_shared_network_is_created_once_by_the_docker_step_before_either_compose_stack()
    {
        var result = (await Run()).Ok();
        var docker = Named(result, "askari-docker");
        var baseStep = Named(result, "askari-base");
        var creators = result.OfType("command:remote:Command").Where(c => (c.InputString("create") ?? string.Empty).Contains("network create", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(creators.Select(c => c.Request.Name), Is.Empty, "no compose command creates the network");
            Assert.That(docker.InputString("stdin"), Does.Contain("EDGE_NETWORK='boma-edge 172.30.0.0/24'"));
            foreach (var stack in ComposeProjects)
            {
                var up = Named(result, $"{stack}-up");
                var copies = result.Registrations.Where(r => up.Request.Dependencies.Contains(r.Urn) && r.Request.Type == "command:remote:CopyToRemote").ToList();
                Assert.That(copies, Is.Not.Empty, stack);
                // Staged once base has run (beside the docker step, off the path to "NetBird answers"); up waits for Docker.
                Assert.That(copies.All(c => c.Request.Dependencies.Contains(baseStep.Urn)), Is.True, $"{stack}: the staged files wait for the base step");
                Assert.That(up.Request.Dependencies, Does.Contain(docker.Urn), $"{stack}: up waits for the docker step");
            }
        });
    }

    [Test]
    public async Task Components_use_their_type_tokens_and_parent_their_children()
    {
        var result = (await Run()).Ok();
        foreach (var token in new[] { NetbirdServer.TypeToken, CaddyProxy.TypeToken, Peers.TypeToken, Backup.TypeToken })
        {
            var component = result.Single(token);
            var children = result.Registrations.Where(r => r.Request.Parent == component.Urn).ToList();
            Assert.That(children, Is.Not.Empty, token);
            // A nested ComposeStack keeps the component's own name, so its children keep their names (and URNs, via aliases).
            Assert.That(children.Where(c => c.Request.Type != ComposeStack.TypeToken).Select(c => c.Request.Name), Is.All.StartWith(component.Request.Name + "-"), token);
        }
    }

    [Test]
    public async Task Setup_comes_after_the_stack_is_up_and_policies_before_enrolment_and_keys()
    {
        var result = (await Run()).Ok();
        var up = Named(result, "netbird-up");
        var setup = Named(result, "netbird-setup");
        var policies = Named(result, "peers-policies");
        Assert.Multiple(() =>
        {
            Assert.That(setup.Request.Dependencies, Does.Contain(up.Urn));
            Assert.That(policies.Request.Dependencies, Does.Contain(setup.Urn));
            Assert.That(Named(result, "peers-askari-enrol").Request.Dependencies, Does.Contain(policies.Urn));
            // askari enrols through Caddy: Caddy's deploy comes first, and the script waits for /api/instance through it.
            Assert.That(Named(result, "peers-askari-enrol").Request.Dependencies, Does.Contain(Named(result, "caddy-up").Urn));
            // The client pinned to the server's version; its DNS management off on askari.
            Assert.That(Named(result, "peers-askari-enrol").InputString("create"), Does.EndWith($" {NetbirdConfig.Version} --disable-dns"));
            Assert.That(result.Registrations.Single(r => r.Request.Name == "netbird-compose").InputString("remotePath"), Does.EndWith("/netbird/compose.yaml"));
            Assert.That(Named(result, "peers-road-warrior-key").Request.Dependencies, Does.Contain(policies.Urn));
            Assert.That(Named(result, "peers-askari-key").InputString("create"), Does.Contain("NB_KEY_TYPE=reusable").And.Contain("NB_KEY_GROUPS=offsite").And.Contain("NB_KEY_USAGE_LIMIT=3"));
            Assert.That(Named(result, "peers-cluster-key").InputString("create"), Does.Contain("NB_KEY_EXPIRES_IN=2592000").And.Contain("NB_KEY_GROUPS=cluster"));
            Assert.That(Named(result, "peers-ubongo-key").InputString("create"), Does.Contain("NB_KEY_TYPE=one-off").And.Contain("NB_KEY_GROUPS=control"));
            Assert.That(Named(result, "peers-road-warrior-key").InputString("create"), Does.Contain("NB_KEY_TYPE=one-off").And.Contain("NB_KEY_EXPIRES_IN=604800"));
            Assert.That(Named(result, "netbird-up").InputString("create"), Does.Contain("/netbird/compose-up.sh netbird /opt/boma/netbird "));
            Assert.That(Named(result, "caddy-up").InputString("create"), Does.Contain("/caddy/compose-up.sh caddy /opt/boma/caddy "));
        });
    }

    [Test]
    public async Task The_secrets_are_random_resources_with_the_right_shapes()
    {
        var result = (await Run()).Ok();
        Assert.Multiple(() =>
        {
            Assert.That(Named(result, "netbird-store-encryption-key").Request.Type, Is.EqualTo("random:index/randomBytes:RandomBytes"));
            Assert.That(Named(result, "netbird-store-encryption-key").Input("length")!.GetValue<double>(), Is.EqualTo(32));
            Assert.That(Named(result, "netbird-session-cookie-key").Request.Type, Is.EqualTo("random:index/randomBytes:RandomBytes"));
            Assert.That(Named(result, "netbird-relay-auth-secret").Request.Type, Is.EqualTo("random:index/randomPassword:RandomPassword"));
            Assert.That(Named(result, "netbird-owner-password").Request.AdditionalSecretOutputs, Does.Contain("result"));
        });
    }

    [Test]
    public async Task A_changed_caddy_file_redeploys_only_caddy_and_unchanged_files_change_nothing()
    {
        var before = (await Run()).Ok();
        var same = (await Run()).Ok();
        var after = (await Run(v => v["caddy"] = "{\"acmeEmail\":\"other@example.org\"}")).Ok();

        JsonNode? Triggers(TestResult r, string name) => Named(r, name).Input("triggers");
        Assert.Multiple(() =>
        {
            foreach (var name in RedeployCommands)
            {
                Assert.That(JsonNode.DeepEquals(Triggers(before, name), Triggers(same, name)), Is.True, $"{name}: same config, same triggers");
            }

            Assert.That(JsonNode.DeepEquals(Triggers(before, "caddy-up"), Triggers(after, "caddy-up")), Is.False, "Caddyfile changed: caddy redeploys");
            Assert.That(JsonNode.DeepEquals(Triggers(before, "netbird-up"), Triggers(after, "netbird-up")), Is.True, "NetBird untouched");
            Assert.That(Named(before, "caddy-up").Request.ReplaceOnChanges, Does.Contain("triggers[*]"));
        });
    }

    [Test]
    public async Task A_changed_policy_reruns_only_the_policy_command()
    {
        var before = (await Run()).Ok();
        var after = (await Run(v => v["netbird"] = """
            {"ownerEmail": "admin@example.org", "policies": [{"name": "admins-ssh", "sources": ["admins"], "destinations": ["infra"], "protocol": "tcp", "ports": ["22"]}]}
            """)).Ok();
        JsonNode? Triggers(TestResult r, string name) => Named(r, name).Input("triggers");
        Assert.That(JsonNode.DeepEquals(Triggers(before, "peers-policies"), Triggers(after, "peers-policies")), Is.False);
        Assert.That(JsonNode.DeepEquals(Triggers(before, "netbird-up"), Triggers(after, "netbird-up")), Is.True);
        Assert.That(JsonNode.DeepEquals(Triggers(before, "caddy-up"), Triggers(after, "caddy-up")), Is.True);
    }

    [Test]
    public async Task Dns01_adds_the_gandi_build_and_a_secret_token_step()
    {
        var result = (await Run(v => v["caddy"] = """
            {"dns01": true, "dns01Sites": [{"name": "grafana.boma.example.org", "upstream": "100.64.0.2:3000"}]}
            """)).Ok();
        var env = Named(result, "caddy-gandi-env");
        Assert.Multiple(() =>
        {
            Assert.That(WireValue.IsSecret(env.Inputs["stdin"]), Is.True);
            Assert.That(Named(result, "caddy-up").InputString("create"), Does.Contain("--build"));
            Assert.That(result.Registrations.Any(r => r.Request.Name == "caddy-dockerfile-gandi"), Is.True);
        });
    }

    [Test]
    public async Task In_a_preview_nothing_fails_and_the_mesh_components_are_planned()
    {
        var result = (await Run(preview: true)).Ok();
        Assert.That(result.Registrations.Select(r => r.Request.Type), Is.SupersetOf(new[]
        {
            NetbirdServer.TypeToken, CaddyProxy.TypeToken, Peers.TypeToken, Backup.TypeToken,
        }));
    }

    [TestCase("netbird", "{}", "boma:netbird.ownerEmail")]
    [TestCase("netbird", "{\"ownerEmail\":\"admin@example.org\",\"roadWarriorKey\":{\"type\":\"reusable\",\"expiresInHours\":0}}", "boma:netbird.roadWarriorKey.expiresInHours")]
    [TestCase("backup", "{}", "boma:backup.repository")]
    [TestCase("backup", "{\"repository\":\"/srv/backup\"}", "boma:backup.repository")]
    [TestCase("backup", "{\"repository\":\"sftp://u1@backup.example.org:23//boma\"}", "boma:backup.knownHosts")]
    [TestCase("backupSshKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo", "boma:backupSshKey")]
    [TestCase("caddy", "{\"dns01\":true}", "boma:caddy.dns01Sites")]
    public async Task Bad_mesh_config_stops_before_anything_is_registered(string key, string value, string named)
    {
        var result = await Run(v => v[key] = value);
        Assert.That(result.Exception, Is.Not.Null);
        Assert.That(result.Exception!.Message, Does.Contain(named).And.Contain("fix: pulumi config"));
        Assert.That(result.Registrations.Select(r => r.Request.Type), Is.All.EqualTo("pulumi:pulumi:Stack"));
    }

    [Test]
    public async Task A_missing_storage_box_key_stops_before_anything_is_registered()
    {
        var result = await Run(v => v.Remove("backupSshKey"));
        Assert.That(result.Exception?.Message, Does.Contain("boma:backupSshKey").And.Contain("pulumi config set -s offsite --secret boma:backupSshKey"));
        Assert.That(result.Registrations.Select(r => r.Request.Type), Is.All.EqualTo("pulumi:pulumi:Stack"));
    }

    [Test]
    public async Task The_storage_box_key_reaches_askari_on_stdin_and_backup_enable_installs_the_host_key_and_drop_in()
    {
        var result = (await Run()).Ok();
        var env = Named(result, "backup-restic-env");
        var enable = Named(result, "backup-enable");
        Assert.Multiple(() =>
        {
            Assert.That(WireValue.IsSecret(env.Inputs["stdin"]), Is.True);
            Assert.That(env.InputString("stdin"), Does.Contain("test-backup-key-body").And.EndWith("-----END OPENSSH PRIVATE KEY-----\n\n"));
            Assert.That(env.InputString("logging"), Is.EqualTo("none"));
            Assert.That(enable.InputString("create"), Does.Contain($"install -m 0644 /home/kim/.boma-stage/backup/boma-restic-known-hosts {Backup.KnownHostsPath}")
                .And.Contain($"install -m 0644 /home/kim/.boma-stage/backup/boma-restic-ssh.conf {Backup.SshConfigPath}"));
            Assert.That(enable.InputString("create")!.IndexOf(Backup.SshConfigPath, StringComparison.Ordinal),
                Is.LessThan(enable.InputString("create")!.IndexOf(" init", StringComparison.Ordinal)), "the box is reachable before `init`");
            Assert.That(result.Registrations.Any(r => r.Request.Name == "backup-boma-restic-known-hosts"), Is.True);
            // restic recommends fuse3, whose setuid fusermount3 would change auditd's privileged rules on the next deploy.
            Assert.That(enable.InputString("create"), Does.Contain("apt-get install -y -qq --no-install-recommends restic sqlite3 jq"));
        });

        // Another backend: no key, no host key, no drop-in.
        var s3 = (await Run(v =>
        {
            v["backup"] = "{\"repository\":\"s3:s3.example.org/bucket\"}";
            v.Remove("backupSshKey");
        })).Ok();
        Assert.That(Named(s3, "backup-enable").InputString("create"), Does.Not.Contain(Backup.SshConfigPath));
        Assert.That(s3.Registrations.Any(r => r.Request.Name == "backup-boma-restic-known-hosts"), Is.False);
    }

    [Test]
    public async Task A_missing_backup_password_is_named()
    {
        var result = await Run(v => v.Remove("backupPassword"));
        Assert.That(result.Exception?.Message, Does.Contain("boma:backupPassword").And.Contain("pulumi config set -s offsite --secret"));
    }

    [Test]
    public async Task The_whole_stack_still_satisfies_the_invariant_rule_file()
    {
        var result = (await Run()).Ok();
        var violations = new InvariantEvaluator(RuleSet.LoadDefault()).Check(result.Views(), EnforcementPoint.UnitTests);
        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    private static string Plain(JsonNode? node) => node switch
    {
        JsonObject o when WireValue.IsSecret(o) => "[secret]",
        JsonObject o => "{" + string.Join(",", o.Select(p => $"{p.Key}:{Plain(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Plain)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}

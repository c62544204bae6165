// CA1861: expected values read best inline in the assertion; these arrays are built once per test.
#pragma warning disable CA1861

using NUnit.Framework;
using Boma.Infra.Components;
using Boma.Infra.Hosts;
using Boma.Pulumi;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

[TestFixture]
public class HostBootstrapTests
{
    private static readonly string[] Roles = ["base", "docker", "fail2ban", "baseline", "sshd", "nftables", "journald", "apparmor", "updates", "auditd", "hosts-pin", "aide"];

    private static Task<TestResult> Build(FirewallPolicy? policy = null, IReadOnlyList<BootstrapStep>? extra = null) =>
        Deployment.TestAsync(new CloudMocks(), () =>
        {
            var steps = HostHardening.Steps(new HardeningOptions
            {
                Policy = policy ?? FirewallPolicy.Offsite(["203.0.113.7/32"]),
                AdminUser = "kim",
                CoordinatorFqdn = "netbird.askari.example.org",
                CoordinatorAddress = Output.Create("198.51.100.23"),
            }).Concat(extra ?? []).ToList();
            _ = new HostBootstrap("askari", new HostBootstrapArgs
            {
                HostName = "askari",
                Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.23"), "kim", Output.CreateSecret("test-private-key"))),
                Steps = steps,
            });
            return new Dictionary<string, object?>();
        });

    private static Dictionary<string, string> Triggers(TestResult result) =>
        result.OfType("command:remote:Command").ToDictionary(
            c => c.Request.Name,
            c => c.Input("triggers")!.AsArray().Single()!.GetValue<string>());

    [Test]
    public async Task One_command_per_step_each_waiting_for_exactly_the_steps_it_needs()
    {
        var result = (await Build()).Ok();
        var commands = result.OfType("command:remote:Command");
        // Steps that wait for the same step register in whichever order their waits resolve (docker and fail2ban
        // both wait for base only), so the names are a set here; the order the host runs them is the dependencies below.
        Assert.That(commands.Select(c => c.Request.Name), Is.EquivalentTo(Roles.Select(r => $"askari-{r}")));
        var urn = commands.ToDictionary(c => c.Request.Name["askari-".Length..], c => c.Urn);
        Assert.Multiple(() =>
        {
            foreach (var command in commands)
            {
                var role = command.Request.Name["askari-".Length..];
                var expected = role == "aide" ? Roles.Where(r => r != "aide") : HostHardening.Waits[role];
                Assert.That(command.Request.Dependencies, Is.EquivalentTo(expected.Select(r => urn[r])), role);
            }
        });

        // The path a compose stack waits for is two commands long: base, then docker (hosts/README.md, "Order").
        Assert.That(HostHardening.Waits["docker"], Is.EqualTo(new[] { "base" }));
        Assert.That(HostHardening.Waits["fail2ban"], Is.EqualTo(new[] { "base" }), "boma's jail (break-glass ignored) right after base started fail2ban");
    }

    [Test]
    public async Task A_plain_list_of_steps_runs_one_after_the_other_and_a_wait_for_a_later_step_is_refused()
    {
        static BootstrapStep Plain(string role) => new(role, "bootstrap/journald.sh.tmpl", Output.Create($"#!/usr/bin/env bash\necho {role}\n"));
        Task<TestResult> Run(IReadOnlyList<BootstrapStep> steps) => Deployment.TestAsync(new CloudMocks(), () =>
        {
            _ = new HostBootstrap("vm1", new HostBootstrapArgs
            {
                HostName = "vm1",
                Host = new RemoteHost(new SshTarget(Output.Create("192.0.2.10"), "kim", Output.CreateSecret("test-private-key"))),
                Steps = steps,
            });
            return new Dictionary<string, object?>();
        });

        var commands = (await Run([Plain("a"), Plain("b"), Plain("c")])).Ok().OfType("command:remote:Command");
        Assert.That(commands[0].Request.Dependencies, Is.Empty);
        Assert.That(commands[1].Request.Dependencies, Is.EqualTo(new[] { commands[0].Urn }));
        Assert.That(commands[2].Request.Dependencies, Is.EqualTo(new[] { commands[1].Urn }));

        var refused = await Run([Plain("a") with { After = ["b"] }, Plain("b")]);
        Assert.That(refused.Exception?.ToString() + string.Join('\n', refused.Logs.Select(l => l.Message)), Does.Contain("waits for 'b', which is not an earlier step of vm1"));
    }

    [Test]
    public void Base_installs_every_package_a_later_step_checks_for()
    {
        // One apt run in base: a package a step ensures but base does not install would put apt back on the parallel branches.
        var lines = Directory.GetFiles(Path.Combine(HostTemplates.Root, "bootstrap"), "*.sh.tmpl")
            .Where(f => Path.GetFileName(f) != "base.sh.tmpl")
            .SelectMany(f => File.ReadLines(f).Where(l => l.StartsWith("ensure_packages ", StringComparison.Ordinal)))
            .Select(l => l["ensure_packages ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var ensured = lines.Where(l => l[0] != "--no-recommends").SelectMany(l => l).Distinct().ToList();
        var bare = lines.Where(l => l[0] == "--no-recommends").SelectMany(l => l.Skip(1)).Distinct().ToList();
        Assert.That(ensured, Is.Not.Empty, "the scan found the scripts' package lines");
        Assert.That(bare, Is.EquivalentTo(new[] { "aide" }), "the scan found AIDE's line");
        Assert.That(HostHardening.Packages, Is.SupersetOf(ensured));
        Assert.That(HostHardening.BarePackages, Is.SupersetOf(bare), "installed without recommends by base too, before auditd");
    }

    [Test]
    public async Task Each_command_runs_its_script_as_root_from_stdin_with_the_script_hash_as_trigger()
    {
        var result = (await Build()).Ok();
        Assert.That(result.OfType("command:remote:Command"), Has.Count.EqualTo(Roles.Length), "one command per step, or the loop below checks nothing");
        foreach (var command in result.OfType("command:remote:Command"))
        {
            var script = command.InputString("stdin")!;
            Assert.Multiple(() =>
            {
                Assert.That(command.InputString("create"), Is.EqualTo("sudo -n bash -s"));
                Assert.That(script, Does.StartWith("#!/usr/bin/env bash"));
                Assert.That(command.Input("triggers")!.AsArray().Single()!.GetValue<string>(), Is.EqualTo(HostTemplates.Sha256(script)));
                Assert.That(command.Request.ReplaceOnChanges, Does.Contain("triggers[*]"));
            });
        }
    }

    [Test]
    public async Task The_connection_is_secret_and_the_same_for_every_command()
    {
        var result = (await Build()).Ok();
        var connections = result.OfType("command:remote:Command").Select(c => c.Inputs["connection"]!.ToJsonString()).Distinct().ToList();
        Assert.That(connections, Has.Count.EqualTo(1));
        Assert.That(Boma.Infra.Policy.WireValue.IsSecret(result.OfType("command:remote:Command")[0].Inputs["connection"]), Is.True);
        var connection = result.OfType("command:remote:Command")[0].Input("connection")!.AsObject();
        Assert.That(connection["user"]!.GetValue<string>(), Is.EqualTo("kim"));
        Assert.That(connection["host"]!.GetValue<string>(), Is.EqualTo("198.51.100.23"));
    }

    [Test]
    public async Task Scripts_carry_the_policy_and_the_coordinator_pin()
    {
        var result = (await Build()).Ok();
        string Script(string role) => result.OfType("command:remote:Command").Single(c => c.Request.Name == $"askari-{role}").InputString("stdin")!;
        Assert.Multiple(() =>
        {
            Assert.That(Script("nftables"), Does.Contain("203.0.113.7/32"));
            Assert.That(Script("nftables"), Does.Contain("wt0"));
            Assert.That(Script("hosts-pin"), Does.Contain("ADDRESS='198.51.100.23'"));
            Assert.That(Script("hosts-pin"), Does.Contain("FQDN='netbird.askari.example.org'"));
        });
    }

    [Test]
    public async Task A_change_re_triggers_only_the_step_it_touches()
    {
        var before = Triggers((await Build()).Ok());
        var after = Triggers((await Build(FirewallPolicy.Offsite(["203.0.113.8/32"]))).Ok());
        var changed = before.Keys.Where(k => before[k] != after[k]).ToList();
        // The break-glass sources are both let in by nftables and never banned by fail2ban.
        Assert.That(changed, Is.EqualTo(new[] { "askari-fail2ban", "askari-nftables" }));
    }

    [Test]
    public async Task A_secret_step_logs_nothing_and_hides_its_output_and_is_never_written_out()
    {
        var secret = new BootstrapStep("secret-thing", "bootstrap/secret-thing.sh.tmpl",
            Output.CreateSecret("#!/usr/bin/env bash\necho token-value >/dev/null\n"), TouchesSecret: true);
        BootstrapStep[] extra = [secret];
        HostBootstrap? component = null;
        var result = (await Deployment.TestAsync(new CloudMocks(), () =>
        {
            component = new HostBootstrap("askari", new HostBootstrapArgs
            {
                HostName = "askari",
                Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.23"), "kim", Output.CreateSecret("k"))),
                Steps = extra,
            });
            return new Dictionary<string, object?>();
        })).Ok();
        var command = result.Single("command:remote:Command");
        Assert.Multiple(() =>
        {
            Assert.That(command.InputString("logging"), Is.EqualTo("none"));
            Assert.That(command.Request.AdditionalSecretOutputs, Is.SupersetOf(new[] { "stdout", "stderr" }));
            Assert.That(Boma.Infra.Policy.WireValue.IsSecret(command.Inputs["stdin"]), Is.True);
            Assert.That(component!.HostFiles, Is.Empty);
        });
    }

    [Test]
    public async Task A_step_with_its_secrets_on_stdin_hashes_and_writes_out_only_the_script()
    {
        const string script = "#!/usr/bin/env bash\ntrue\n";
        var step = new BootstrapStep("secret-thing", "bootstrap/secret-thing.sh.tmpl", Output.Create(script), TouchesSecret: true,
            Stdin: Output.CreateSecret(HostTemplates.ExportPreamble(new Dictionary<string, string> { ["TOKEN"] = "token-value" }) + script));
        HostBootstrap? component = null;
        var result = (await Deployment.TestAsync(new CloudMocks(), () =>
        {
            component = new HostBootstrap("askari", new HostBootstrapArgs
            {
                HostName = "askari",
                Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.23"), "kim", Output.CreateSecret("k"))),
                Steps = [step],
            });
            return new Dictionary<string, object?>();
        })).Ok();
        var command = result.Single("command:remote:Command");
        var file = component!.HostFiles.Single();
        var written = await file.Content.GetValueAsync();
        Assert.Multiple(() =>
        {
            Assert.That(Boma.Infra.Policy.WireValue.IsSecret(command.Inputs["stdin"]), Is.True);
            Assert.That(Boma.Infra.Policy.WireValue.Unwrap(command.Inputs["stdin"])!.GetValue<string>(), Is.EqualTo("export TOKEN='token-value'\n" + script));
            Assert.That(Triggers(result)["askari-secret-thing"], Is.EqualTo(HostTemplates.Sha256(script)));
            Assert.That(command.InputString("logging"), Is.EqualTo("none"));
            Assert.That(command.Request.AdditionalSecretOutputs, Is.SupersetOf(new[] { "stdout", "stderr" }));
            Assert.That(file.Path, Is.EqualTo("askari/bootstrap/secret-thing.sh"));
            Assert.That(written, Is.EqualTo(script));
        });
    }

    [Test]
    public async Task The_rule_file_accepts_a_secret_step_and_rejects_a_command_that_leaks_one()
    {
        var result = (await Deployment.TestAsync(new CloudMocks(), () =>
        {
            _ = new HostBootstrap("askari", new HostBootstrapArgs
            {
                HostName = "askari",
                Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.23"), "kim", Output.CreateSecret("k"))),
                Steps = [new BootstrapStep("secret-thing", "bootstrap/x.sh.tmpl", Output.CreateSecret("#!/usr/bin/env bash\ntrue\n"), TouchesSecret: true)],
            });

            // The mistake the rule exists for: a secret script without TouchesSecret.
            _ = new HostBootstrap("leaky", new HostBootstrapArgs
            {
                HostName = "leaky",
                Host = new RemoteHost(new SshTarget(Output.Create("198.51.100.24"), "kim", Output.CreateSecret("k"))),
                Steps = [new BootstrapStep("secret-thing", "bootstrap/x.sh.tmpl", Output.CreateSecret("#!/usr/bin/env bash\ntrue\n"))],
            });
            return new Dictionary<string, object?>();
        })).Ok();
        var rules = new Boma.Infra.Policy.InvariantEvaluator(Boma.Infra.Policy.RuleSet.LoadDefault());
        var violations = rules.Check(result.Views(), Boma.Infra.Policy.EnforcementPoint.UnitTests)
            .Where(v => v.RuleId == "secret-command-logging")
            .ToList();
        Assert.That(violations, Is.Not.Empty);
        Assert.That(violations.Select(v => v.Urn), Is.All.EndsWith("::leaky-secret-thing"));
    }

    [Test]
    public async Task Plain_steps_keep_their_logs()
    {
        var result = (await Build()).Ok();
        Assert.That(result.OfType("command:remote:Command"), Has.Count.EqualTo(Roles.Length), "\"none of them\" over no commands would pass");
        Assert.That(result.OfType("command:remote:Command").Select(c => c.Inputs.ContainsKey("logging") ? c.InputString("logging") : null), Has.None.EqualTo("none"));
    }

    [Test]
    public void The_documented_order_is_the_order_the_steps_are_listed_and_auditd_and_aide_wait_for_the_rest()
    {
        Assert.That(HostHardening.Order, Is.EqualTo(Roles));
        // auditd after every step that installs packages (setuid programs are listed once; its rules are immutable),
        // AIDE after all, so its database describes the finished host.
        static ISet<string> Before(string role) => HostHardening.Waits[role].SelectMany(r => Before(r).Append(r)).ToHashSet();
        Assert.That(Before("auditd"), Is.SupersetOf(new[] { "base", "docker", "fail2ban", "apparmor", "updates" }));
        Assert.That(Before("hosts-pin"), Is.SupersetOf(Roles.Where(r => r is not "hosts-pin" and not "aide")));
        Assert.That(Roles[^1], Is.EqualTo("aide"));
    }

    [Test]
    public async Task A_hosts_own_steps_run_before_aide_and_the_window_reaches_the_updates_step()
    {
        var result = (await Deployment.TestAsync(new CloudMocks(), () =>
        {
            var steps = HostHardening.Steps(new HardeningOptions
            {
                Policy = FirewallPolicy.Offsite(["203.0.113.7/32"]),
                AdminUser = "kim",
                CoordinatorFqdn = "netbird.askari.example.org",
                CoordinatorAddress = Output.Create("198.51.100.23"),
                RebootWindow = "02:45",
            }, [new BootstrapStep("mesh", "bootstrap/journald.sh.tmpl", Output.Create("#!/usr/bin/env bash\necho mesh\n"))]);
            _ = new HostBootstrap("vm1", new HostBootstrapArgs
            {
                HostName = "vm1",
                Host = new RemoteHost(new SshTarget(Output.Create("192.0.2.10"), "kim", Output.CreateSecret("test-private-key"))),
                Steps = steps,
            });
            return new Dictionary<string, object?>();
        })).Ok();
        var names = result.OfType("command:remote:Command").Select(c => c.Request.Name).ToList();
        Assert.That(names[^3..], Is.EqualTo(new[] { "vm1-hosts-pin", "vm1-mesh", "vm1-aide" }));
        var updates = result.OfType("command:remote:Command").Single(c => c.Request.Name == "vm1-updates").InputString("stdin")!;
        Assert.That(updates, Does.Contain("REBOOT_WINDOW='02:45'"));
    }
}

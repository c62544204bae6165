using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Boma.Infra.Rehearsal.Deploy;
using Boma.Infra.Tests.Config;

namespace Boma.Infra.Tests.Rehearsal;

#pragma warning disable CA1861 // expected values read best inline in assertions

/// <summary>
/// The deploy executor against a fake shell that records every call: the real offsite program's command graph, run
/// in the engine's order, then again with a recorded state (skips, replaces, deletes), failures and secrets.
/// </summary>
public class DeployExecutorTests
{
    private static string Input(DeployGraph graph, string step, string key) =>
        (string)graph.Steps.Single(s => s.Name == step).Inputs[key]!;

    [Test]
    public async Task Plan_gives_the_cloud_init_user_data_and_every_command_step()
    {
        using var fixture = new DeployFixture();
        var graph = await DeployRunner.PlanAsync(fixture.Inputs(), CancellationToken.None);

        Assert.That(graph.ServerUserData, Does.StartWith("#cloud-config"));
        Assert.That(graph.ServerUserData, Does.Contain(ValidConfig.PublicKey));
        Assert.That(graph.Steps.Select(s => s.Name), Is.Unique);
        Assert.That(graph.Steps.Select(s => s.Name), Is.SupersetOf(new[] { "askari-base", "askari-sshd", "netbird-up", "caddy-up", "peers-askari-enrol", "backup-enable" }));
        Assert.That(graph.Steps.Select(s => s.Action), Is.All.EqualTo(DeployAction.Create));
        Assert.That(graph.Steps.Single(s => s.Name == "askari-sshd").Dependencies, Has.Some.EndsWith("::askari-baseline"),
            "DependsOn the previous bootstrap step is a dependency");

        // The random values are kept: a second plan of the same state sees the same ones.
        var first = await File.ReadAllTextAsync(DeployState.PathIn(fixture.StateDirectory));
        await DeployRunner.PlanAsync(fixture.Inputs(), CancellationToken.None);
        Assert.That(await File.ReadAllTextAsync(DeployState.PathIn(fixture.StateDirectory)), Is.EqualTo(first));
        Assert.That(RandomSecrets(fixture), Has.Count.GreaterThanOrEqualTo(4));
        Assert.That(OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(DeployState.PathIn(fixture.StateDirectory)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task Converge_runs_every_step_once_after_all_it_depends_on_and_independent_steps_together()
    {
        using var fixture = new DeployFixture();
        var shell = new FakeRemoteShell { WaitForCompany = true };
        var sequence = 0;
        var started = new ConcurrentDictionary<string, int>();
        var ended = new ConcurrentDictionary<string, int>();
        var afterStep = new ConcurrentBag<string>();
        var hooks = new ExecuteHooks
        {
            StepStarted = (e, _) => { started[e.Urn] = Interlocked.Increment(ref sequence); return Task.CompletedTask; },
            StepEnded = (r, _) => { ended[r.Urn] = Interlocked.Increment(ref sequence); return Task.CompletedTask; },
            AfterStep = (r, _) => { afterStep.Add(r.Urn); return Task.CompletedTask; },
        };

        var (graph, report, _) = await fixture.RunAsync(shell, hooks);

        Assert.That(report.Failure, Is.Null);
        Assert.That(report.Steps.Select(s => s.Urn), Is.EquivalentTo(graph.Steps.Select(s => s.Urn)), "every step ran exactly once");
        Assert.That(report.Steps.Select(s => s.Action), Is.All.EqualTo(DeployAction.Create));
        Assert.That(afterStep, Is.EquivalentTo(graph.Steps.Select(s => s.Urn)), "the lockout hook ran after every step");
        var commandUrns = graph.Steps.Select(s => s.Urn).ToHashSet();
        foreach (var step in graph.Steps)
        {
            foreach (var dependency in step.Dependencies.Where(commandUrns.Contains))
            {
                Assert.That(ended[dependency], Is.LessThan(started[step.Urn]), $"{step.Name} started before {dependency} ended");
            }
        }

        Assert.That(shell.MaxInFlight, Is.GreaterThanOrEqualTo(2), "independent steps (the staged files) run at the same time");
        Assert.That(shell.Calls.Count(c => c.Kind == "copy"), Is.EqualTo(graph.Steps.Count(s => s.Type == "command:remote:CopyToRemote")));

        // The step ran with its resolved inputs: the bootstrap script on stdin, the connection from config and the mocks.
        var baseCall = shell.Calls.Single(c => c.Stdin == Input(graph, "askari-base", "stdin"));
        Assert.That(baseCall.Command, Is.EqualTo(Input(graph, "askari-base", "create")));
        Assert.That(baseCall.Connection.Host, Is.EqualTo(DeployFixture.Ipv4));
        Assert.That(baseCall.Connection.User, Is.EqualTo("kim"));
        Assert.That(baseCall.Connection.Port, Is.EqualTo(22));
        Assert.That(baseCall.Connection.DialErrorLimit, Is.EqualTo(40));
        Assert.That(baseCall.Connection.PrivateKey, Is.EqualTo(fixture.Values["sshPrivateKey"]));
        Assert.That(report.Steps.Single(s => s.Name == "askari-base").Changed, Is.EqualTo(new[] { "changed: something", "summary: 1 changed" }));

        // Executed stdout flows on: into a dependant's inputs (netbird-up's trigger carries render-config's stdout,
        // one trailing newline trimmed) and into the stack outputs (the setup key), secrets masked in the report.
        var up = DeployState.Load(fixture.StateDirectory).Resources.Values.Single(r => r.Name == "netbird-up");
        Assert.That(up.Inputs["triggers"]!.AsArray().Select(t => t!.ToJsonString()), Does.Contain("\"changed: something\\nsummary: 1 changed\""));
        Assert.That(graph.StackOutputValues!["serversSetupKey"], Is.EqualTo("SETUPKEY-0000-1111"));
        Assert.That(report.StackOutputs["serversSetupKey"], Is.EqualTo(SecretMasker.Mask));
        Assert.That(report.StackOutputs["netbirdOwnerPassword"], Is.EqualTo(SecretMasker.Mask));
        Assert.That(report.StackOutputs["hostFqdn"], Is.EqualTo("askari.boma.example.org"));
    }

    [Test]
    public async Task A_second_run_with_the_same_inputs_runs_nothing()
    {
        using var fixture = new DeployFixture();
        var (_, first, _) = await fixture.RunAsync(new FakeRemoteShell());
        var shell = new FakeRemoteShell();
        var afterStep = 0;
        var (graph, second, _) = await fixture.RunAsync(shell, new ExecuteHooks { AfterStep = (_, _) => { afterStep++; return Task.CompletedTask; } });

        Assert.That(graph.Steps.Select(s => s.Action), Is.All.EqualTo(DeployAction.Skip), "the plan already says so");
        Assert.That(second.Failure, Is.Null);
        Assert.That(shell.Calls, Is.Empty);
        Assert.That(afterStep, Is.Zero);
        Assert.That(second.Steps.Select(s => s.Action), Is.All.EqualTo(DeployAction.Skip));
        Assert.That(second.StackOutputs, Is.EqualTo(first.StackOutputs), "recorded outputs stand in for the skipped steps");
    }

    [Test]
    public async Task A_changed_bootstrap_template_reruns_exactly_its_step()
    {
        using var fixture = new DeployFixture();
        await fixture.RunAsync(new FakeRemoteShell());
        // The state as if the last `up` had run an older nftables script: its trigger (the script's hash) differs.
        EditState(fixture, "askari-nftables", r =>
        {
            r.Inputs["triggers"] = new JsonArray("0000000000000000000000000000000000000000000000000000000000000000");
            r.Inputs["stdin"] = "#!/bin/sh\n# the older script\n";
        });

        var shell = new FakeRemoteShell();
        var (graph, report, _) = await fixture.RunAsync(shell);

        Assert.That(report.Failure, Is.Null);
        Assert.That(graph.Steps.Single(s => s.Name == "askari-nftables").ChangedInputs, Is.EqualTo(new[] { "stdin", "triggers" }));
        Assert.That(report.Ran.Select(s => (s.Name, s.Action)), Is.EqualTo(new[] { ("askari-nftables", DeployAction.Replace) }));
        Assert.That(shell.Calls, Has.Count.EqualTo(1));
        Assert.That(shell.Calls[0].Stdin, Is.EqualTo(Input(graph, "askari-nftables", "stdin")));
        Assert.That(shell.Calls[0].Stdin, Does.Not.Contain("the older script"));
    }

    [Test]
    public async Task A_replaced_step_with_new_stdout_replaces_its_dependant_delete_before_create()
    {
        using var fixture = new DeployFixture();
        var run = 1;
        string? renderCreate = null;
        ShellResult Answer(ShellCall c) => c.Command == renderCreate
            ? new ShellResult(0, run == 1 ? "aaaa1111\n" : "bbbb2222\n", "")
            : new ShellResult(0, FakeRemoteShell.Stdout(c), "");
        var (firstGraph, _, _) = await fixture.RunAsync(new FakeRemoteShell { Answer = c => { renderCreate ??= null; return Answer(c); } });
        renderCreate = Input(firstGraph, "netbird-render-config", "create");
        EditState(fixture, "netbird-render-config", r => r.Inputs["triggers"] = new JsonArray("changed-template-hash"));
        run = 2;

        var shell = new FakeRemoteShell { Answer = Answer };
        var (graph, report, _) = await fixture.RunAsync(shell);

        Assert.That(report.Failure, Is.Null);
        Assert.That(report.Ran.Select(s => (s.Name, s.Action)), Is.EqualTo(new[]
        {
            ("netbird-render-config", DeployAction.Replace),
            ("netbird-up", DeployAction.Replace),
        }), "netbird-up's trigger carries render-config's stdout; nothing else depends on a changed value");
        var up = graph.Steps.Single(s => s.Name == "netbird-up");
        Assert.That(up.Inputs.ContainsKey("delete"), Is.True);
        Assert.That(shell.Calls.Select(c => c.Command), Is.EqualTo(new[]
        {
            renderCreate,
            (string)up.Inputs["delete"]!,
            (string)up.Inputs["create"]!,
        }), "deleteBeforeReplace: compose down of the old one, then up");
        Assert.That(shell.Calls[1].OptionalEnvironment["PULUMI_COMMAND_STDOUT"], Is.EqualTo("changed: something\nsummary: 1 changed"),
            "a delete sees the recorded stdout, one trailing newline trimmed");
    }

    [Test]
    public async Task A_changed_connection_is_an_update_that_runs_create_again_with_the_previous_output()
    {
        using var fixture = new DeployFixture();
        await fixture.RunAsync(new FakeRemoteShell());
        EditState(fixture, "askari-docker", r => r.Inputs["connection"]!["perDialTimeout"] = 30.0);

        var shell = new FakeRemoteShell();
        var (graph, report, _) = await fixture.RunAsync(shell);

        Assert.That(report.Ran.Select(s => (s.Name, s.Action)), Is.EqualTo(new[] { ("askari-docker", DeployAction.Update) }));
        Assert.That(shell.Calls.Single().Command, Is.EqualTo(Input(graph, "askari-docker", "create")), "no update command: create runs again");
        Assert.That(shell.Calls.Single().OptionalEnvironment["PULUMI_COMMAND_STDOUT"], Is.EqualTo("changed: something\nsummary: 1 changed"));
    }

    [Test]
    public async Task A_replacement_without_delete_before_replace_creates_first_and_deletes_the_old_one_last()
    {
        using var fixture = new DeployFixture();
        await fixture.RunAsync(new FakeRemoteShell());
        // As if the old nftables step had had a delete command and an older script.
        EditState(fixture, "askari-nftables", r =>
        {
            r.Inputs["triggers"] = new JsonArray("old-hash");
            r.Inputs["delete"] = "echo old nftables delete";
        });

        var shell = new FakeRemoteShell();
        var (graph, report, _) = await fixture.RunAsync(shell);

        Assert.That(report.Failure, Is.Null);
        Assert.That(shell.Calls.Select(c => c.Command), Is.EqualTo(new[] { Input(graph, "askari-nftables", "create"), "echo old nftables delete" }));
        Assert.That(report.Ran.Select(s => (s.Name, s.Action)), Is.EqualTo(new[] { ("askari-nftables", DeployAction.Replace), ("askari-nftables", DeployAction.Delete) }));
        Assert.That(DeployState.Load(fixture.StateDirectory).Resources.Values.Single(r => r.Name == "askari-nftables").Inputs.ContainsKey("delete"),
            Is.False, "the new resource stays in the state, the old half is gone");
    }

    [Test]
    public async Task A_step_gone_from_the_program_runs_its_delete()
    {
        using var fixture = new DeployFixture();
        await fixture.RunAsync(new FakeRemoteShell());
        const string urn = "urn:pulumi:offsite::boma::boma:host:Bootstrap$command:remote:Command::askari-legacy";
        var state = DeployState.Load(fixture.StateDirectory);
        var template = state.Resources.Values.Single(r => r.Name == "askari-base");
        state.Resources[urn] = new StateRecord
        {
            Urn = urn,
            Type = "command:remote:Command",
            Name = "askari-legacy",
            Inputs = new JsonObject
            {
                ["connection"] = template.Inputs["connection"]!.DeepClone(),
                ["create"] = "echo legacy",
                ["delete"] = "echo removing legacy",
            },
            Outputs = new JsonObject { ["stdout"] = "legacy", ["stderr"] = "" },
        };
        state.Save(fixture.StateDirectory);

        var shell = new FakeRemoteShell();
        var (graph, report, _) = await fixture.RunAsync(shell);

        Assert.That(graph.Steps.Single(s => s.Urn == urn).Action, Is.EqualTo(DeployAction.Delete));
        Assert.That(report.Failure, Is.Null);
        Assert.That(shell.Calls.Select(c => c.Command), Is.EqualTo(new[] { "echo removing legacy" }));
        Assert.That(shell.Calls[0].Connection.PrivateKey, Is.EqualTo(fixture.Values["sshPrivateKey"]), "the recorded connection");
        Assert.That(report.Ran.Select(s => (s.Name, s.Action)), Is.EqualTo(new[] { ("askari-legacy", DeployAction.Delete) }));
        Assert.That(DeployState.Load(fixture.StateDirectory).Resources.ContainsKey(urn), Is.False);
    }

    [Test]
    public async Task A_failing_step_stops_its_dependants_and_reports_exit_and_masked_stderr()
    {
        using var fixture = new DeployFixture();
        var key = fixture.Values["sshPrivateKey"];
        string? failing = null;
        var shell = new FakeRemoteShell
        {
            Answer = c => c.Stdin is { } stdin && stdin.Contains("fail2ban", StringComparison.Ordinal) && stdin == failing
                ? new ShellResult(3, "", $"apt-get: boom\nkey was {key}\n")
                : new ShellResult(0, FakeRemoteShell.Stdout(c), ""),
        };
        var graph = await DeployRunner.PlanAsync(fixture.Inputs(), CancellationToken.None);
        failing = Input(graph, "askari-fail2ban", "stdin");
        var report = await graph.ExecuteAsync(shell, new ExecuteHooks(), CancellationToken.None);

        Assert.That(report.Succeeded, Is.False);
        Assert.That(report.Failure, Does.Contain("askari-fail2ban").And.Contain("exit 3").And.Contain("apt-get: boom"));
        Assert.That(report.Failure, Does.Not.Contain("test-private-key-body"));
        Assert.That(report.Failure, Does.Contain(SecretMasker.Mask));
        var failed = report.Steps.Single(s => s.Name == "askari-fail2ban");
        Assert.That(failed.Exit, Is.EqualTo(3));
        var ranStdin = shell.Calls.Select(c => c.Stdin).ToList();
        // The hardening chain after fail2ban, AIDE and askari's enrolment wait for it (docker runs beside it, so it may have run).
        foreach (var later in new[] { "askari-baseline", "askari-sshd", "askari-nftables", "askari-hosts-pin", "askari-aide" })
        {
            Assert.That(ranStdin, Does.Not.Contain(Input(graph, later, "stdin")), $"{later} depends on the failed step");
        }

        Assert.That(shell.Calls.Where(c => c.Kind != "copy").Select(c => c.Command), Has.None.Contains("enrol-peer.sh"), "enrolment waits for the hardening");
        Assert.That(DeployState.Load(fixture.StateDirectory).Resources.Values.Select(r => r.Name),
            Does.Contain("askari-base").And.Not.Contain("askari-fail2ban"), "completed steps are recorded, the failed one is not");
    }

    [Test]
    public async Task Secrets_never_reach_the_report_or_the_log()
    {
        const string canary = "CANARY-7f3e9a";
        using var fixture = new DeployFixture(v =>
        {
            v["sshPrivateKey"] = $"-----BEGIN OPENSSH PRIVATE KEY-----\n{canary}-private-key-line-0123456789\n-----END OPENSSH PRIVATE KEY-----\n";
            v["backupPassword"] = $"{canary}-restic-password";
            v["gandiToken"] = $"{canary}-gandi-token";
            v["hcloudToken"] = $"{canary}-hcloud-token";
        });
        // Every command echoes what it got (stdin, environment, its key) on stdout and stderr; one fails doing so.
        var shell = new FakeRemoteShell
        {
            Answer = c =>
            {
                var echo = $"{c.Stdin}\n{string.Join('\n', c.Environment.Select(e => $"{e.Key}={e.Value}"))}\n{c.Connection.PrivateKey}\nsummary: 0 changed\n";
                return (c.Stdin ?? "").Contains("backup", StringComparison.OrdinalIgnoreCase) && c.Kind == "run"
                    ? new ShellResult(1, echo, echo)
                    : new ShellResult(0, echo, echo);
            },
        };

        var (_, report, log) = await fixture.RunAsync(shell);
        var randoms = RandomSecrets(fixture);
        var everything = string.Join('\n', log) + "\n" + report.ToMarkdown() + "\n" + report.Failure + "\n"
            + string.Join('\n', report.Steps.SelectMany(s => s.Changed.Append(s.Error ?? "")));

        Assert.That(log, Has.Some.StartsWith("askari-base: "), "a step with default logging logs its output");
        Assert.That(log, Has.None.StartsWith("caddy-up: "), "logging none: nothing logged");
        Assert.That(everything, Does.Contain("summary: 0 changed"));
        Assert.That(report.Failure, Is.Not.Null, "the failing backup step's output is in the report, masked");
        Assert.That(everything, Does.Not.Contain(canary));
        foreach (var secret in randoms)
        {
            Assert.That(everything, Does.Not.Contain(secret), "a random secret from the state");
        }
    }

    private static void EditState(DeployFixture fixture, string name, Action<StateRecord> edit)
    {
        var state = DeployState.Load(fixture.StateDirectory);
        edit(state.Resources.Values.Single(r => r.Name == name));
        state.Save(fixture.StateDirectory);
    }

    private static List<string> RandomSecrets(DeployFixture fixture) =>
        [.. DeployState.Load(fixture.StateDirectory).Resources.Values
            .Where(r => r.Type is "random:index/randomPassword:RandomPassword" or "random:index/randomBytes:RandomBytes")
            .SelectMany(r => r.Outputs.Select(o => o.Value!.GetValue<string>()))];
}

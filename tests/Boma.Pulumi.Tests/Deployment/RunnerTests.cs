using NUnit.Framework;
using Boma.Pulumi.Serialization;
using Boma.Pulumi.Testing;
using Boma.Pulumi.Tests.Testing;
using Pulumirpc;

namespace Boma.Pulumi.Tests.Deployment;

using Deployment = Boma.Pulumi.Deployment;

[TestFixture]
public sealed class RunnerTests
{
    internal static readonly string[] NeededFeatures = ["resourceReferences", "aliasSpecs"];

    private static string Fail(string id) => throw new InvalidOperationException($"apply failed on {id}");

    [Test]
    public async Task Asks_only_the_features_a_registration_needs_once_registers_the_stack_and_sets_the_root()
    {
        // As the official .NET SDK asks (pulumi-dotnet sdk/Pulumi/Deployment/Deployment.cs MonitorSupportsFeature, called
        // from Deployment_Prepare.cs): lazily, resourceReferences before serializing, aliasSpecs before the aliases;
        // never "secrets". The Node SDK asks eleven up front, so the conformance suite checks only that a request's
        // features were negotiated before it (docs/conformance.md).
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Server("a", new ServerArgs { Name = "a" });
            _ = new Server("b", new ServerArgs { Name = "b" });
            return new Dictionary<string, object?>();
        }, new TestOptions { ProjectName = "boma", StackName = "dev" });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(result.Monitor.FeatureRequests, Is.EqualTo(NeededFeatures));
        var stack = result.Registrations.Single(r => r.Request.Type == "pulumi:pulumi:Stack");
        Assert.Multiple(() =>
        {
            Assert.That(stack.Request.Type, Is.EqualTo("pulumi:pulumi:Stack"));
            Assert.That(stack.Request.Name, Is.EqualTo("boma-dev"));
            Assert.That(stack.Request.Parent, Is.Empty);
            Assert.That(stack.Request.Custom, Is.False);
            Assert.That(stack.Inputs, Is.Empty);
            Assert.That(result.Engine.RootResource, Is.EqualTo("urn:pulumi:dev::boma::pulumi:pulumi:Stack::boma-dev"));
            Assert.That(result.Engine.SetRootResourceCalls, Is.EqualTo(1));
            Assert.That(result.Monitor.ShutdownCalls, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Stack_outputs_are_registered_once_with_secrets_wrapped_and_nulls_dropped()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () => new Dictionary<string, object?>
        {
            ["plain"] = "x",
            ["number"] = 3,
            ["secret"] = Output.CreateSecret("s3cr3t"),
            ["missing"] = null,
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var stackOutputs = result.OutputRegistrations.Where(o => o.Urn == result.StackUrn).ToList();
        Assert.That(stackOutputs, Has.Count.EqualTo(1));
        var wire = stackOutputs[0].Outputs;
        Assert.Multiple(() =>
        {
            Assert.That(wire["plain"]!.GetValue<string>(), Is.EqualTo("x"));
            Assert.That(wire["number"]!.GetValue<double>(), Is.EqualTo(3));
            Assert.That(wire["secret"]![Constants.SpecialSigKey]!.GetValue<string>(), Is.EqualTo(Constants.SecretSig));
            Assert.That(wire["secret"]!["value"]!.GetValue<string>(), Is.EqualTo("s3cr3t"));
            Assert.That(wire.ContainsKey("missing"), Is.False);
            Assert.That(result.Logs.Any(l => l.Severity == LogSeverity.Warning && l.Message.Contains("missing", StringComparison.Ordinal)), Is.True);
            Assert.That(result.StackOutputs["secret"], Is.EqualTo("s3cr3t"));
        });
    }

    [Test]
    public async Task Preview_sends_unknown_stack_outputs_as_the_sentinel()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var server = new Server("a", new ServerArgs { Name = "a" });
            return new Dictionary<string, object?> { ["id"] = server.Id, ["ip"] = server.Ipv4 };
        }, new TestOptions { IsPreview = true });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var wire = result.OutputRegistrations.Single(o => o.Urn == result.StackUrn).Outputs;
        Assert.That(wire["id"]!.GetValue<string>(), Is.EqualTo(Constants.UnknownValue));
        Assert.That(wire["ip"]!.GetValue<string>(), Is.EqualTo(Constants.UnknownValue));
    }

    [Test]
    public async Task Unhandled_exception_is_logged_as_error_exits_32_and_skips_shutdown()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), (Action)(() =>
        {
            _ = new Server("a", new ServerArgs { Name = "a" });
            throw new InvalidOperationException("boom in program");
        }));

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<InvalidOperationException>());
            Assert.That(result.Logs.Count(l => l.Severity == LogSeverity.Error && l.Message.Contains("boom in program", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(result.Monitor.ShutdownCalls, Is.Zero);
            // The run stops at the failure, as the official .NET SDK's does: no stack outputs after it.
            Assert.That(result.OutputRegistrations.Count(o => o.Urn == result.StackUrn), Is.Zero);
        });
    }

    [Test]
    public async Task The_first_failed_task_ends_the_run_at_once_without_waiting_for_the_others()
    {
        // The official .NET SDK's runner (pulumi-dotnet sdk/Pulumi/Deployment/Deployment.Runner.cs, WhileRunningAsync over
        // TaskMonitoringHelper.AwaitIdleOrFirstExceptionAsync) returns at the first faulted task: it logs the error and
        // exits 32 while other registrations are still in flight; the engine then cancels the deployment. (The Node SDK
        // logs and keeps going until its event loop is empty, so this is a unit test, not a conformance scenario.)
        var slowAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowAsked = false;
        var mocks = new ServerMocks
        {
            BeforeAnswer = args =>
            {
                if (args.Name != "slow")
                {
                    return Task.CompletedTask;
                }

                Volatile.Write(ref slowAsked, true);
                return slowAnswer.Task;
            },
        };
        var run = Deployment.TestAsync(mocks, () =>
        {
            var slow = new Server("slow", new ServerArgs { Name = "slow" });
            _ = new Server("after-slow", new ServerArgs { Name = slow.Id });
            var fast = new Server("fast", new ServerArgs { Name = "fast" });
            fast.Id.Apply(Fail);
            return new Dictionary<string, object?> { ["slow"] = slow.Id };
        });

        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
        slowAnswer.SetResult();
        Assert.That(finished, Is.SameAs(run), "the run waited for the registration that never answered");
        var result = await run;
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<InvalidOperationException>());
            Assert.That(result.Logs.Count(l => l.Severity == LogSeverity.Error && l.Message.Contains("apply failed", StringComparison.Ordinal)), Is.EqualTo(1));
            // "slow" was sent and is still unanswered (the recording monitor records a registration once answered).
            Assert.That(Volatile.Read(ref slowAsked), Is.True);
            Assert.That(result.Registrations.Select(r => r.Request.Name), Does.Contain("fast").And.Not.Contain("slow").And.Not.Contain("after-slow"));
            Assert.That(result.OutputRegistrations.Count(o => o.Urn == result.StackUrn), Is.Zero);
            Assert.That(result.Monitor.ShutdownCalls, Is.Zero);
        });
    }

    [Test]
    public async Task Log_error_without_exception_exits_1_like_the_dotnet_sdk()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () => Log.Error("something is off"));
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Logs.Single(l => l.Severity == LogSeverity.Error).Message, Is.EqualTo("something is off"));
            Assert.That(result.Monitor.ShutdownCalls, Is.Zero);
        });
    }

    [Test]
    public async Task An_output_whose_task_has_already_failed_still_fails_the_run()
    {
        // The task is faulted before the Output sees it; its error must not be dropped with exit code 0.
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = Output.Create(Task.FromException<string>(new InvalidOperationException("lookup failed early")));
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<InvalidOperationException>());
            Assert.That(result.Logs.Count(l => l.Severity == LogSeverity.Error && l.Message.Contains("lookup failed early", StringComparison.Ordinal)), Is.EqualTo(1));
            Assert.That(result.Monitor.ShutdownCalls, Is.Zero);
        });
    }

    [Test]
    public async Task Every_registration_is_drained_before_exit_even_from_continuations_with_slow_answers()
    {
        var mocks = new ServerMocks { BeforeAnswer = _ => Task.Delay(5) };
        var result = await Deployment.TestAsync(mocks, () =>
        {
            var first = new Server("first", new ServerArgs { Name = "first" });
            // Created only once "first" has answered: the runner must still wait for it and its child.
            first.Ipv4.Apply(ip =>
            {
                var second = new Server("second", new ServerArgs { Name = ip });
                second.Id.Apply(id => new Server("third", new ServerArgs { Name = id }));
                return ip;
            });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(string.Join(",", result.Registrations.Select(r => r.Request.Name).Order(StringComparer.Ordinal)), Is.EqualTo("first,project-stack,second,third"));
        var third = result.Registrations.Single(r => r.Request.Name == "third");
        Assert.That(third.Inputs["name"]!.GetValue<string>(), Is.EqualTo("second-id"));
        // Shutdown only comes after everything.
        Assert.That(result.Monitor.ShutdownCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task Two_thousand_concurrent_registrations_all_arrive_with_the_right_parents()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var groups = Enumerable.Range(0, 20).Select(g => new Group($"g{g}", 99)).ToList();
            return new Dictionary<string, object?> { ["groups"] = groups.Count };
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(result.Registrations, Has.Length.EqualTo(1 + 20 + 20 * 99));
        var groupUrns = result.Registrations.Where(r => r.Request.Type == "boma:index:Group").ToDictionary(r => r.Request.Name, r => r.Urn);
        foreach (var r in result.Registrations.Where(r => r.Request.Type == "test:index/server:Server"))
        {
            var group = r.Request.Name.Split('-')[0];
            Assert.That(r.Request.Parent, Is.EqualTo(groupUrns[group]));
        }

        Assert.That(result.OutputRegistrations, Has.Length.EqualTo(21));
    }

    [Test]
    public async Task Runs_one_after_another_do_not_share_state()
    {
        var first = await Deployment.TestAsync(new EchoMocks(), () => { _ = new Server("a", new ServerArgs { Name = "a" }); },
            new TestOptions { StackName = "one" });
        var second = await Deployment.TestAsync(new EchoMocks(), () => { _ = new Server("b", new ServerArgs { Name = "b" }); },
            new TestOptions { StackName = "two" });

        Assert.Multiple(() =>
        {
            Assert.That(string.Join(",", first.Registrations.Select(r => r.Request.Name)), Is.EqualTo("project-one,a"));
            Assert.That(string.Join(",", second.Registrations.Select(r => r.Request.Name)), Is.EqualTo("project-two,b"));
            Assert.That(second.Registrations[1].Request.Parent, Is.EqualTo("urn:pulumi:two::project::pulumi:pulumi:Stack::project-two"));
        });
    }

    [Test]
    public async Task Unavailable_monitor_means_the_engine_is_terminating_exit_32_without_noise()
    {
        var mocks = new ServerMocks
        {
            BeforeAnswer = _ => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "resource monitor shut down")),
        };
        var result = await Deployment.TestAsync(mocks, () =>
        {
            var a = new Server("a", new ServerArgs { Name = "a" });
            _ = new Server("b", new ServerArgs { Name = a.Id });
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Logs.Where(l => l.Severity == LogSeverity.Error), Is.Empty);
            Assert.That(result.Monitor.ShutdownCalls, Is.Zero);
            Assert.That(result.Registrations.Select(r => r.Request.Name), Does.Not.Contain("b"));
        });
    }

    private sealed class MyStack : Stack
    {
        public MyStack()
        {
            var server = new Server("web", new ServerArgs { Name = "web" });
            Address = server.Ipv4;
            Secret = Output.CreateSecret("pw");
        }

        [Output("address")]
        public Output<string> Address { get; private set; }

        [Output("secret")]
        public Output<string> Secret { get; private set; }
    }

    [Test]
    public async Task Stack_subclass_outputs_are_its_output_properties()
    {
        var result = await Deployment.TestAsync<MyStack>(new ServerMocks());
        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(result.StackOutputs["address"], Is.EqualTo("192.0.2.10"));
        var wire = result.OutputRegistrations.Single(o => o.Urn == result.StackUrn).Outputs;
        Assert.That(wire["secret"]![Constants.SpecialSigKey]!.GetValue<string>(), Is.EqualTo(Constants.SecretSig));
        var web = result.Registrations.Single(r => r.Request.Name == "web");
        Assert.That(web.Request.Parent, Is.EqualTo(result.StackUrn));
    }

    [Test]
    public async Task Logs_about_a_resource_carry_its_urn_and_secret_unknown_outputs_keep_the_secret_marker()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var server = new Server("a", new ServerArgs { Name = "a" });
            Log.Warn("careful", server);
            return new Dictionary<string, object?> { ["hidden"] = Output.CreateSecret(server.Ipv4) };
        }, new TestOptions { IsPreview = true });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var warning = result.Logs.Single(l => l.Message == "careful");
        Assert.That(warning.Urn, Is.EqualTo(result.Registrations.Single(r => r.Request.Name == "a").Urn));
        var hidden = result.OutputRegistrations.Single(o => o.Urn == result.StackUrn).Outputs["hidden"]!;
        Assert.That(hidden[Constants.SpecialSigKey]!.GetValue<string>(), Is.EqualTo(Constants.SecretSig));
        Assert.That(hidden["value"]!.GetValue<string>(), Is.EqualTo(Constants.UnknownValue));
    }
}

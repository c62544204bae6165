using System.Text.Json.Nodes;
using Boma.Pulumi.LoopbackEngine;
using Grpc.Core;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>Boma.Pulumi as a real process against an engine that fails or is loaded.</summary>
[TestFixture]
[Category("Failure")]
[Parallelizable(ParallelScope.All)]
public sealed class FailureTests
{
    [TestCase(StatusCode.Unavailable)]
    [TestCase(StatusCode.Internal)]
    public async Task A_monitor_failing_mid_run_makes_the_program_exit_non_zero_with_the_error_shown(StatusCode status)
    {
        // The stack plus 4 resources succeed, then every registration fails.
        var options = new LoopbackEngineOptions { FailRegistrationsAfter = 5, FailureStatus = status };
        var run = await ScenarioRunner.RunAsync("boma", preview: false, address => ProgramLauncher.Dotnet(
            RepoPaths.ProgramsDll, ["many"], address, new LaunchSettings { ExtraEnvironment = Size(20) }), options);

        var failed = run.Calls.Where(c => c.InjectedFailure is not null).ToList();
        var errorLogs = Logs(run.Calls).Where(l => (string?)l["severity"] == "ERROR").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.Not.Empty, "the fake never injected its failure");
            Assert.That(run.Result.ExitCode, Is.Not.Zero, run.Result.Output);
            // The failure must be visible: in the program's output or as an error sent to the engine.
            var visible = run.Result.Output.Contains("injected failure", StringComparison.Ordinal)
                || errorLogs.Any(l => ((string?)l["message"] ?? string.Empty).Contains("injected failure", StringComparison.Ordinal));
            Assert.That(visible, Is.True, $"the injected error is nowhere to be seen\n{run.Result.Output}\nerror logs: {string.Join("\n", errorLogs)}");
            Assert.That(run.Calls.Select(c => c.Method), Does.Not.Contain("SignalAndWaitForShutdown"),
                "a failed run must not signal a clean shutdown");
        });
    }

    [Test]
    public async Task Two_thousand_concurrent_registrations_all_reach_the_engine_before_the_program_exits()
    {
        const int count = 2000;
        // Each answer takes a little while, as a real engine's steps do, so only a program that really
        // registers concurrently has many calls in flight at once.
        var options = new LoopbackEngineOptions { ResponseDelay = TimeSpan.FromMilliseconds(5) };
        var run = await ScenarioRunner.RunAsync("boma", preview: false, address => ProgramLauncher.Dotnet(
            RepoPaths.ProgramsDll, ["many"], address, new LaunchSettings { ExtraEnvironment = Size(count) }), options);

        await TestContext.Out.WriteLineAsync($"at most {run.MaxConcurrentRegistrations} registrations were in flight at once");
        var calls = run.Calls.Where(c => c.Implemented).OrderBy(c => c.Sequence).ToList();
        var registrations = calls.Where(c => c.Method == "RegisterResource").ToList();
        var stackUrn = Urns.Create("test", "conformance", string.Empty, Urns.StackType, "conformance-test");
        var stackOutputs = calls.Where(c => c.Method == "RegisterResourceOutputs" && c.Urn == stackUrn).ToList();
        var last = calls.Where(c => c.Method != "Log").Last();

        Assert.Multiple(() =>
        {
            Assert.That(run.Result.ExitCode, Is.Zero, run.Result.Output);
            Assert.That(run.MaxConcurrentRegistrations, Is.GreaterThan(1), "the registrations were sent one at a time");
            // The stack plus every resource, each exactly once.
            Assert.That(registrations, Has.Count.EqualTo(count + 1));
            Assert.That(registrations.Select(r => r.Urn).Distinct().Count(), Is.EqualTo(count + 1));
            Assert.That(stackOutputs, Has.Count.EqualTo(1), "the stack outputs are registered exactly once");
            Assert.That(stackOutputs.Single().Sequence, Is.GreaterThan(registrations.Max(r => r.Sequence)),
                "the stack output counts every resource's URN, so it comes after every registration");
            var outputs = JsonNode.Parse(stackOutputs.Single().RequestJson!)!["outputs"]!;
            Assert.That((double?)outputs["count"], Is.EqualTo(count));
            Assert.That(last.Method, Is.EqualTo("SignalAndWaitForShutdown"), "the shutdown signal is the last call");
            Assert.That(calls.Count(c => c.Method == "SignalAndWaitForShutdown"), Is.EqualTo(1));
        });
    }

    private static Dictionary<string, string> Size(int n) => new() { ["BOMA_SCENARIO_RESOURCES"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static IEnumerable<JsonObject> Logs(IEnumerable<RecordedCall> calls) =>
        calls.Where(c => c.Method == "Log" && c.RequestJson is not null).Select(c => JsonNode.Parse(c.RequestJson!)!.AsObject());
}

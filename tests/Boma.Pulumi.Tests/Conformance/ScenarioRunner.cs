using Boma.Pulumi.LoopbackEngine;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>Runs one program against its own fresh loopback engine and returns what the engine saw.</summary>
internal static class ScenarioRunner
{
    /// <summary>Not a timing assertion: only stops a hung program from hanging the suite.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    public sealed record Run(string Sdk, ProgramResult Result, IReadOnlyList<RecordedCall> Calls, int MaxConcurrentRegistrations);

    public static LaunchSettings Settings(ConformanceScenario scenario, bool preview) => new()
    {
        Preview = preview,
        Config = scenario.Config,
        SecretKeys = scenario.SecretKeys,
        ExtraEnvironment = scenario.Environment,
    };

    public static Task<Run> NodeAsync(ConformanceScenario scenario, bool preview)
    {
        RequireNodeSdk();
        return RunAsync("node", preview, address =>
            ProgramLauncher.Node(RepoPaths.ConformanceJs, scenario.JsDirectory ?? RepoPaths.JsScenario(scenario.Name), address, Settings(scenario, preview)));
    }

    public static Task<Run> BomaAsync(ConformanceScenario scenario, bool preview) =>
        RunAsync("boma", preview, address =>
            ProgramLauncher.Dotnet(RepoPaths.ProgramsDll, [scenario.Name], address, Settings(scenario, preview)));

    public static async Task<Run> RunAsync(string sdk, bool preview, Func<string, ProgramSpec> spec, LoopbackEngineOptions? options = null)
    {
        await using var engine = await LoopbackEngine.LoopbackEngine.StartAsync(options ?? new LoopbackEngineOptions { Preview = preview });
        var result = await ProgramLauncher.RunAsync(spec(engine.Address), HangGuard);
        Assert.That(result.HungAndKilled, Is.False, $"{sdk} program hung and was killed after {HangGuard}\n{result.Output}");
        return new Run(sdk, result, engine.Recorder.Calls, engine.MaxConcurrentRegistrations);
    }

    /// <summary>The suite needs the official SDK installed; a missing install is a failure, never a skip.</summary>
    public static void RequireNodeSdk()
    {
        var runner = ProgramLauncher.NodeRunner(RepoPaths.ConformanceJs);
        if (!Directory.Exists(runner))
        {
            Assert.Fail($"The official Node SDK is not installed ({runner} is missing): run `npm ci` in tests/conformance-js first.");
        }
    }
}

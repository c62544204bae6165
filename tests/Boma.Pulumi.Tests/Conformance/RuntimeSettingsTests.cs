using System.Text.Json;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>
/// docs/benchmarks.md: the benchmark's Boma.Pulumi contestant (the conformance programs) is built like the Pulumi
/// program, without background GC (Directory.Build.props); the bench refuses to run when the floor's built settings
/// differ. The setting has to reach the runtimeconfig.json the runtime reads.
/// </summary>
[TestFixture]
public sealed class RuntimeSettingsTests
{
    [Test]
    public void The_conformance_programs_run_without_background_GC()
    {
        var runtimeConfig = Path.ChangeExtension(RepoPaths.ProgramsDll, ".runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.That(properties.TryGetProperty("System.GC.Concurrent", out var value) ? value.ValueKind : JsonValueKind.Undefined,
            Is.EqualTo(JsonValueKind.False), $"{runtimeConfig} does not set System.GC.Concurrent to false");
    }
}

using System.Text.Json;
using Boma.Infra.Tests.Docs;

namespace Boma.Infra.Tests.Build;

/// <summary>
/// docs/benchmarks.md: the Pulumi program is built to run without background GC (Directory.Build.props), a setting of
/// how the program is built that the benchmark's floor gets too. It has to reach the runtimeconfig.json next to the
/// built program, which is what the runtime reads; other projects keep the runtime's default.
/// </summary>
[TestFixture]
public sealed class RuntimeConfigTests
{
    private static JsonElement? ConcurrentGc(string runtimeConfig)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        return document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.GC.Concurrent", out var value)
                ? value.Clone()
                : null;
    }

    [Test]
    public void The_built_program_runs_without_background_GC()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var runtimeConfig = Path.Combine(RepoRoot.Path, "bin", configuration, "net10.0", "Boma.Infra.runtimeconfig.json");
        Assert.That(ConcurrentGc(runtimeConfig)?.ValueKind, Is.EqualTo(JsonValueKind.False), $"{runtimeConfig} does not set System.GC.Concurrent to false");
    }

    [Test]
    public void A_project_that_is_not_a_program_keeps_the_default()
    {
        // This test project's own runtimeconfig.json: the setting is for the programs, not for every project.
        var runtimeConfig = Path.Combine(AppContext.BaseDirectory, "Boma.Infra.Tests.runtimeconfig.json");
        Assert.That(ConcurrentGc(runtimeConfig), Is.Null);
    }
}

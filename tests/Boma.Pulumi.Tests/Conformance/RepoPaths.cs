using System.Reflection;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>Where the harness finds the JS SDK, the JS scenarios and the built C# scenario programs.</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string ConformanceJs => Path.Combine(Root, "tests", "conformance-js");

    public static string JsScenario(string name) => Path.Combine(ConformanceJs, "scenarios", name);

    /// <summary>The scenario programs built in this test assembly's configuration (see the csproj).</summary>
    public static string ProgramsDll
    {
        get
        {
            var configuration = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BuildConfiguration").Value!;
            return Path.Combine(Root, "tests", "Boma.Pulumi.Conformance.Programs", "bin", configuration, "net10.0",
                "Boma.Pulumi.Conformance.Programs.dll");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Boma.Infra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Boma.Infra.sln not found above {AppContext.BaseDirectory}");
    }
}

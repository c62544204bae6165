namespace Boma.Infra.Tests.Cli;

/// <summary>Finds files of the repository from the test's output directory.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string GuardData(string name) => Path.Combine(RepoRoot, "tests", "Boma.Infra.Tests", "Cli", "testdata", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Boma.Infra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Boma.Infra.sln above {AppContext.BaseDirectory}");
    }
}

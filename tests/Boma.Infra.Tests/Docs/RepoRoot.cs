namespace Boma.Infra.Tests.Docs;

/// <summary>The checkout root (holds Boma.Infra.sln), found from the test binaries upwards.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Boma.Infra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"the tests run inside the checkout; no Boma.Infra.sln above {AppContext.BaseDirectory}");
    }
}

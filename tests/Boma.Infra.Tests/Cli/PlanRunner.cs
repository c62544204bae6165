using Boma.Infra.Cli;

namespace Boma.Infra.Tests.Cli;

/// <summary>Runs `boma plan` in-process and captures what it prints.</summary>
internal static class PlanRunner
{
    /// <summary>The checkout root (holds Pulumi.yaml and Pulumi.offsite.yaml), found from the test binaries upwards.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string workDir, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Entry.RunVerbAsync(args, TextReader.Null, stdout, stderr, workDir);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A throw-away project directory with the real Pulumi.yaml and the given stack file.</summary>
    public static string TempProject(string stackYaml, string stack = "offsite")
    {
        var dir = Path.Combine(Path.GetTempPath(), "boma-plan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(RepoRoot, "Pulumi.yaml"), Path.Combine(dir, "Pulumi.yaml"));
        File.WriteAllText(Path.Combine(dir, $"Pulumi.{stack}.yaml"), stackYaml);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pulumi.yaml")) && File.Exists(Path.Combine(dir.FullName, "Pulumi.offsite.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests run inside the checkout; Pulumi.yaml not found above " + AppContext.BaseDirectory);
    }
}

using System.Diagnostics;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>Repository paths and the real tools the NetBird/Caddy/backup tests run.</summary>
internal static class Tools
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Repo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = TestContext.CurrentContext.TestDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Boma.Infra.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("cannot find Boma.Infra.sln above the test directory");
    }

    /// <summary>The tool's full path; a missing tool fails the test (CI installs it from .ci/apt-packages.txt).</summary>
    public static string Require(string tool, string? package = null)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"{tool} is not installed: install {package ?? tool} (see .ci/apt-packages.txt)");
        return null!;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(
        string tool, IEnumerable<string> args, string? stdin = null, IDictionary<string, string>? env = null, string? workDir = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? RepoRoot,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}

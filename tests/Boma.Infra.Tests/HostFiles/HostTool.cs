using NUnit.Framework;
using System.Diagnostics;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>Finds and runs the real Debian tools that check host files. A missing tool fails the test, never skips it.</summary>
internal static class HostTool
{
    private static readonly string[] ExtraDirs = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>Full path of <paramref name="tool"/>, or a failed test that names the Debian package to install.</summary>
    public static string Require(string tool, string package)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ExtraDirs);
        foreach (var dir in dirs)
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{tool}' not found: install {package} (see .ci/apt-packages.txt)");
        throw new InvalidOperationException("unreachable");
    }

    public static ToolResult Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        // A hang guard, not a timing assertion: these tools answer in well under a second.
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', info.ArgumentList)} did not finish");
        }

        return new ToolResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}

internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

using NUnit.Framework;
using System.Diagnostics;

namespace Boma.Infra.Tests.Cli;

/// <summary>The verb through a real `dotnet` process: Program.cs and Entry dispatch, exit codes as CI sees them.</summary>
[TestFixture]
public class GuardProcessTests
{
    private static (int Code, string Stdout, string Stderr) RunBoma(params string[] args)
    {
        // The program's assembly is copied next to the tests, with its runtimeconfig and policy/rules.json.
        var program = Path.Combine(AppContext.BaseDirectory, "Boma.Infra.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Test]
    public void Malformed_preview_exits_2_with_one_line_and_no_stack_trace()
    {
        var file = TestPaths.GuardData("malformed.json");
        var (code, stdout, stderr) = RunBoma("guard", file);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr.Trim(), Does.StartWith($"guard: {file}: not valid JSON at line 83"));
        Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.Not.Contain("Unhandled exception"));
    }

    [Test]
    public void Invalid_utf8_on_stdin_exits_2_and_valid_stdin_is_judged()
    {
        // The console reader would replace bad bytes silently; guard reads stdin's raw bytes instead.
        var compliant = File.ReadAllBytes(TestPaths.GuardData("compliant.json"));
        byte[] broken = [.. compliant[..200], 0xC3, 0x28, .. compliant[200..]];
        Assert.Multiple(() =>
        {
            var bad = RunBomaWithStdin(broken, "guard", "-");
            Assert.That(bad.Code, Is.EqualTo(2), bad.Stderr);
            Assert.That(bad.Stderr.Trim(), Does.StartWith("guard: stdin: not UTF-8 text"));
            Assert.That(RunBomaWithStdin(compliant, "guard", "-").Code, Is.Zero);
        });
    }

    private static (int Code, string Stdout, string Stderr) RunBomaWithStdin(byte[] input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Boma.Infra.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Test]
    public void Violations_exit_1_and_compliant_exits_0()
    {
        Assert.That(RunBoma("guard", TestPaths.GuardData("ssh-world.json")).Code, Is.EqualTo(1));
        Assert.That(RunBoma("guard", TestPaths.GuardData("compliant.json")).Code, Is.EqualTo(0));
    }
}

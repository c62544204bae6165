using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Build;

/// <summary>
/// The README's main command `./boma plan offsite`: it builds only when a file of the program changed since the last
/// successful build, then runs the built program with the arguments. Runs the real launcher in a copy of its folder
/// with a recording stand-in for dotnet (BOMA_DOTNET), so what it calls is visible and no real build runs.
/// </summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LauncherTests
{
    private const string FakeDotnet = """
        #!/usr/bin/env bash
        # Records each call; `build` makes the dll (or fails when FAIL_BUILD is set), anything else "runs" it.
        echo "$*" >>"$CALLS"
        if [ "$1" = build ]; then
          [ -z "${FAIL_BUILD:-}" ] || { echo "error CS0001: broken" >&2; exit 1; }
          mkdir -p "$(dirname "$2")/bin/Debug/net10.0" && : >"$(dirname "$2")/bin/Debug/net10.0/Boma.Infra.dll"
        else
          shift
          echo "ran $*"
        fi
        """;

    private string dir = "";
    private string tools = "";

    [SetUp]
    public void MakeTree()
    {
        dir = Directory.CreateTempSubdirectory("boma-launcher-").FullName;
        tools = Directory.CreateTempSubdirectory("boma-launcher-tools-").FullName;
        File.Copy(Tools.Repo("boma"), Path.Combine(dir, "boma"));
        File.WriteAllText(Path.Combine(tools, "dotnet"), FakeDotnet.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.WriteAllText(Path.Combine(dir, "Program.cs"), "// program\n");
        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        File.WriteAllText(Path.Combine(dir, "docs", "offsite.md"), "# docs\n");
    }

    [TearDown]
    public void RemoveTree()
    {
        Directory.Delete(dir, recursive: true);
        Directory.Delete(tools, recursive: true);
    }

    private async Task<(Tools.Result Result, string[] Calls)> Launch(bool failBuild = false)
    {
        var calls = Path.Combine(tools, "calls");
        File.Delete(calls);
        var env = new Dictionary<string, string> { ["BOMA_DOTNET"] = Path.Combine(tools, "dotnet"), ["CALLS"] = calls };
        if (failBuild)
        {
            env["FAIL_BUILD"] = "1";
        }

        File.SetUnixFileMode(Path.Combine(tools, "dotnet"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var result = await Tools.RunAsync(Tools.Require("bash"), [Path.Combine(dir, "boma"), "plan", "offsite"], env: env, workDir: dir);
        return (result, File.Exists(calls) ? File.ReadAllLines(calls) : []);
    }

    /// <summary>The file changed after the last build: every file is dated back, then the stamp, then the file.</summary>
    private void Touch(params string[] path)
    {
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-3));
        }

        File.SetLastWriteTimeUtc(Path.Combine(dir, "obj", "boma-launcher.stamp"), DateTime.UtcNow.AddMinutes(-2));
        File.SetLastWriteTimeUtc(Path.Combine([dir, .. path]), DateTime.UtcNow.AddMinutes(-1));
    }

    private static string Build(string dir) => $"build {dir}/Boma.Infra.csproj -nologo -v q -clp:NoSummary -clp:ErrorsOnly";

    private static string Run(string dir) => $"{dir}/bin/Debug/net10.0/Boma.Infra.dll plan offsite";

    [Test]
    public async Task Builds_the_first_time_then_runs_the_dll_with_the_arguments()
    {
        var (result, calls) = await Launch();
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(calls, Is.EqualTo(new[] { Build(dir), Run(dir) }));
        Assert.That(result.Stdout, Is.EqualTo("ran plan offsite\n"), "the program's output, nothing added");
    }

    [Test]
    public async Task A_second_launch_with_nothing_changed_does_not_build()
    {
        await Launch();
        var (result, calls) = await Launch();
        Assert.That(calls, Is.EqualTo(new[] { Run(dir) }));
        Assert.That(result.Stdout, Is.EqualTo("ran plan offsite\n"));
    }

    [Test]
    public async Task A_changed_source_builds_again_and_a_changed_doc_does_not()
    {
        await Launch();
        Touch("docs", "offsite.md");
        Assert.That((await Launch()).Calls, Is.EqualTo(new[] { Run(dir) }), "docs are not part of the program");
        Touch("Program.cs");
        Assert.That((await Launch()).Calls, Is.EqualTo(new[] { Build(dir), Run(dir) }));
        Assert.That((await Launch()).Calls, Is.EqualTo(new[] { Run(dir) }));
    }

    [Test]
    public async Task A_failed_build_runs_nothing_and_the_next_launch_builds_again()
    {
        await Launch();
        Touch("Program.cs");
        var (failed, calls) = await Launch(failBuild: true);
        Assert.That(failed.ExitCode, Is.EqualTo(1));
        Assert.That(calls, Is.EqualTo(new[] { Build(dir) }), "the old dll is not run after a failed build");
        Assert.That(failed.Stderr, Does.Contain("error CS0001").And.Contain("boma: the build failed (above); nothing was run"));
        Assert.That((await Launch()).Calls, Is.EqualTo(new[] { Build(dir), Run(dir) }));
    }

    [Test]
    public async Task The_launcher_passes_shellcheck()
    {
        var result = await Tools.RunAsync(Tools.Require("shellcheck"), ["--severity=style", Tools.Repo("boma")]);
        Assert.That(result.ExitCode, Is.Zero, result.Stdout);
    }
}

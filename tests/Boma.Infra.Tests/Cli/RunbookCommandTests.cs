using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Infra.Cli;

namespace Boma.Infra.Tests.Cli;

[TestFixture]
public sealed class RunbookCommandTests
{
    private const string Key = "8C1E9D2A-4F6B-4E0C-9A7D-3B5F1C2E8A90";

    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        // Under the system temp dir, i.e. outside any git work tree.
        _dir = Directory.CreateTempSubdirectory("boma-runbook-").FullName;
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static JsonObject CompleteOutputs() => new()
    {
        ["managementUrl"] = "https://netbird.askari.example.org",
        ["dashboardUrl"] = "https://netbird.askari.example.org",
        ["askariIpv4"] = "203.0.113.7",
        ["askariIpv6"] = "2001:db8:1234::1",
        ["askariMeshIp"] = "100.90.12.1",
        ["roadWarriorSetupKey"] = Key,
        ["meshDnsDomain"] = "boma.example.org",
        ["someOtherOutput"] = "ignored",
    };

    private (int Code, string Out, string Err) Run(string? stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? string.Empty);
        var code = RunbookCommand.Run(args, input, stdinIsTerminal: stdin is null, output, error, _dir);
        return (code, output.ToString(), error.ToString());
    }

    private string WriteInput(JsonObject outputs)
    {
        var path = Path.Combine(_dir, "outputs.json");
        File.WriteAllText(path, outputs.ToJsonString());
        return path;
    }

    private string DefaultOutPath => Path.Combine(_dir, "docs", "runbooks", "road-warrior-enrolment.md");

    [Test]
    public void Complete_outputs_from_a_file_write_the_runbook_at_the_default_path_without_the_key()
    {
        var (code, _, err) = Run(null, "offsite", "--input", WriteInput(CompleteOutputs()));

        Assert.That(code, Is.Zero, err);
        var text = File.ReadAllText(DefaultOutPath);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("sudo netbird up --management-url https://netbird.askari.example.org --setup-key-file /tmp/boma-setup-key"));
            Assert.That(text, Does.Contain("netbird status"));
            Assert.That(text, Does.Contain("ping -c 3 100.90.12.1"));
            Assert.That(text, Does.Contain("ssh ubongo.boma.example.org"));
            Assert.That(text, Does.Contain("203.0.113.7 / 2001:db8:1234::1"));
            Assert.That(text, Does.Contain("/api/peers/<peer-id>"));
            Assert.That(text, Does.Contain(RunbookTemplate.KeyPlaceholder));
            Assert.That(text, Does.Not.Contain(Key), "the default runbook is committable: no live key");
            Assert.That(text, Does.Not.Contain("{{"), "every placeholder is filled");
        });
    }

    [Test]
    public void Outputs_on_stdin_are_read_when_no_input_is_given_and_with_dash()
    {
        var json = CompleteOutputs().ToJsonString();
        Assert.That(Run(json, "offsite").Code, Is.Zero);
        File.Delete(DefaultOutPath);
        var (code, _, err) = Run(json, "offsite", "--input", "-", "--out", "rb.md");
        Assert.That(code, Is.Zero, err);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "rb.md")), Does.Contain("https://netbird.askari.example.org"));
    }

    [Test]
    public void With_secrets_outside_a_repository_writes_the_live_key_and_says_so()
    {
        var (code, stdout, err) = Run(CompleteOutputs().ToJsonString(), "offsite", "--with-secrets", "--out", "mine.md");

        Assert.That(code, Is.Zero, err);
        var text = File.ReadAllText(Path.Combine(_dir, "mine.md"));
        Assert.That(text, Does.Contain($"{Key}\nKEY"));
        Assert.That(text, Does.Not.Contain(RunbookTemplate.KeyPlaceholder));
        Assert.That(stdout, Does.Contain("do not commit"));
        Assert.That(stdout, Does.Not.Contain(Key), "the key is never echoed");
    }

    [Test]
    public void With_secrets_into_a_git_work_tree_is_refused_and_nothing_is_written()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "repo", ".git"));
        var (code, _, err) = Run(CompleteOutputs().ToJsonString(), "offsite", "--with-secrets", "--out", "repo/docs/rb.md");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--with-secrets").And.Contain("inside the git work tree"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "repo", "docs")), Is.False);
        Assert.That(err, Does.Not.Contain(Key));
    }

    [Test]
    public void A_git_worktree_file_counts_as_a_repository_too()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "wt"));
        File.WriteAllText(Path.Combine(_dir, "wt", ".git"), "gitdir: /elsewhere\n");
        Assert.That(RunbookCommand.FindGitWorkTree(Path.Combine(_dir, "wt", "a", "b.md")), Is.EqualTo(Path.Combine(_dir, "wt")));
        Assert.That(RunbookCommand.FindGitWorkTree(Path.Combine(_dir, "b.md")), Is.Null);
    }

    public static IEnumerable<string> OutputNames() => RunbookOutputs.Names;

    [TestCaseSource(nameof(OutputNames))]
    public void Each_missing_output_is_an_error_naming_it_and_nothing_is_written(string name)
    {
        var outputs = CompleteOutputs();
        outputs.Remove(name);
        var (code, _, err) = Run(outputs.ToJsonString(), "offsite");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain($"`{name}`").And.Contain("nothing was written").And.Contain("pulumi up --stack offsite"));
        foreach (var other in RunbookOutputs.Names.Where(n => n != name))
        {
            Assert.That(err, Does.Not.Contain($"`{other}`"), "only the missing output is named");
        }

        Assert.That(File.Exists(DefaultOutPath), Is.False);
        Assert.That(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories), Is.Empty, "no temporary file either");
    }

    [TestCase("null")]
    [TestCase("\"\"")]
    [TestCase("\"  \"")]
    [TestCase("{}")]
    public void Null_empty_or_structured_values_count_as_missing(string value)
    {
        var json = CompleteOutputs().ToJsonString().Replace("\"100.90.12.1\"", value, StringComparison.Ordinal);
        var (code, _, err) = Run(json, "offsite");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("`askariMeshIp`"));
    }

    [Test]
    public void All_missing_outputs_are_listed_in_one_error()
    {
        var (code, _, err) = Run("{}", "offsite");
        Assert.That(code, Is.EqualTo(2));
        foreach (var name in RunbookOutputs.Names)
        {
            Assert.That(err, Does.Contain($"`{name}`"));
        }
    }

    [Test]
    public void A_masked_key_is_fine_for_the_redacted_runbook_but_not_with_secrets()
    {
        var outputs = CompleteOutputs();
        outputs["roadWarriorSetupKey"] = "[secret]";
        Assert.That(Run(outputs.ToJsonString(), "offsite").Code, Is.Zero);

        var (code, _, err) = Run(outputs.ToJsonString(), "offsite", "--with-secrets", "--out", "x.md");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("roadWarriorSetupKey").And.Contain("--show-secrets"));
        Assert.That(File.Exists(Path.Combine(_dir, "x.md")), Is.False);
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    public void Input_that_is_not_a_json_object_is_a_clear_error(string input)
    {
        var (code, _, err) = Run(input, "offsite");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("pulumi stack output --json --show-secrets"));
        Assert.That(File.Exists(DefaultOutPath), Is.False);
    }

    [Test]
    public void Argument_errors_name_the_argument()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Run("{}", "cluster").Err, Does.Contain("`offsite`").And.Contain("`cluster`"));
            Assert.That(Run("{}").Err, Does.Contain("`offsite`"));
            Assert.That(Run("{}", "offsite", "--out").Err, Does.Contain("--out needs a value"));
            Assert.That(Run("{}", "offsite", "--bogus").Err, Does.Contain("unknown argument `--bogus`"));
            Assert.That(Run("{}", "offsite", "--input", "nope.json").Err, Does.Contain("--input nope.json: no such file"));
            Assert.That(Run(null, "offsite").Err, Does.Contain("pipe them in"));
        });
    }

    [Test]
    public void Entry_dispatches_the_runbook_verb()
    {
        // The verb without a stack name fails with the usage, through the real entry point.
        var error = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            Assert.That(Entry.RunAsync(["runbook"]).GetAwaiter().GetResult(), Is.EqualTo(2));
        }
        finally
        {
            Console.SetError(error);
        }

        Assert.That(captured.ToString(), Does.Contain("usage: runbook offsite"));
    }
}

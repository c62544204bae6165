using NUnit.Framework;
using Boma.Infra.Cli;

namespace Boma.Infra.Tests.Cli;

[TestFixture]
public class GuardCommandTests
{
    private const string ServerUrn = "urn:pulumi:offsite::boma::boma:offsite:Askari$hcloud:index/server:Server::askari";
    private const string FirewallUrn = "urn:pulumi:offsite::boma::boma:offsite:Askari$hcloud:index/firewall:Firewall::askari-fw";
    private const string SecretCommandUrn = "urn:pulumi:offsite::boma::boma:offsite:Askari$command:remote:Command::netbird-env";

    [Test]
    public void Compliant_preview_passes_and_summarises_the_stack()
    {
        var run = GuardRun.Of(TestPaths.GuardData("compliant.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.Compliant), run.Stderr);
        Assert.That(run.Stdout, Does.Contain("| offsite | 9 | 0 | 0 | 0 | 0 |"));
        Assert.That(run.Stdout, Does.Contain("No invariant violations (8 rules checked)."));
        Assert.That(run.Stderr, Is.Empty);
    }

    [Test]
    public void Ssh_opened_to_the_world_fails_naming_rule_and_urn()
    {
        var run = GuardRun.Of(TestPaths.GuardData("ssh-world.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
        Assert.That(run.Stdout, Does.Contain("### Violations (1)"));
        Assert.That(run.Stdout, Does.Contain($"| `ssh-world` | offsite | `{FirewallUrn}` | SSH rules[3,5] together open SSH to the internet: IPv4 sources cover 100.0 %"));
        Assert.That(run.Stderr, Does.Contain($"guard: offsite: ssh-world: {FirewallUrn}: SSH rules[3,5]"));
    }

    [Test]
    public void A_second_break_glass_rule_fails_even_from_a_narrow_source()
    {
        var run = GuardRun.Of(TestPaths.GuardData("second-break-glass.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
        Assert.That(run.Stdout, Does.Contain("### Violations (1)"));
        Assert.That(run.Stdout, Does.Contain("rules[5] is break-glass rule number 2, but at most 1 may exist"));
        Assert.That(run.Stdout, Does.Not.Contain("rules[3]"), "the first break-glass rule stays allowed");
    }

    [Test]
    public void Replacing_a_protected_server_fails_with_the_reason()
    {
        var run = GuardRun.Of(TestPaths.GuardData("protected-replace.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
        Assert.That(run.Stdout, Does.Contain("| offsite | 0 | 0 | 1 | 0 | 8 |"));
        Assert.That(run.Stdout, Does.Contain($"| `protected-replace-or-delete` | offsite | `{ServerUrn}` | this protected resource would be replaced because image changed"));
        Assert.That(run.Stdout, Does.Contain("### Violations (1)"));
    }

    [Test]
    public void Replacing_a_protected_server_passes_when_its_urn_is_allowed()
    {
        var run = GuardRun.Of(TestPaths.GuardData("protected-replace.json"), "--allow-replace", ServerUrn);

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.Compliant), run.Stderr);
        Assert.That(run.Stdout, Does.Contain("No invariant violations"));
        Assert.That(run.Stdout, Does.Contain($"- offsite: `{ServerUrn}` (protected-replace-or-delete)"));
    }

    [Test]
    public void Allow_file_lines_allow_urns_and_comments_are_ignored()
    {
        var allowFile = Path.Combine(Path.GetTempPath(), $"boma-allow-{Guid.NewGuid():N}.txt");
        File.WriteAllText(allowFile, $"# planned rebuild onto debian-13\n  {ServerUrn}  # ticket 12\n\n");
        try
        {
            var run = GuardRun.Of(TestPaths.GuardData("protected-replace.json"), "--allow-file", allowFile);
            Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.Compliant), run.Stderr);
        }
        finally
        {
            File.Delete(allowFile);
        }
    }

    [Test]
    public void Allowing_another_urn_does_not_allow_the_server()
    {
        var run = GuardRun.Of(TestPaths.GuardData("protected-replace.json"), "--allow-replace", FirewallUrn);

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
        Assert.That(run.Stdout, Does.Not.Contain("Allowed by this pull request"));
        Assert.That(run.Stdout, Does.Contain($"> Note: `{FirewallUrn}` is allowed but no stack replaces or deletes it; remove it from the allow list."));
    }

    [Test]
    public void Secret_command_with_logging_on_fails_without_echoing_the_command()
    {
        var run = GuardRun.Of(TestPaths.GuardData("secret-command-logging.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
        Assert.That(run.Stdout, Does.Contain($"| `secret-command-logging` | offsite | `{SecretCommandUrn}` | logging is 'stdoutAndStderr' but it receives a secret in stdin: set Logging = \"none\" |"));
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("install -m 600"), "guard reports property names, never values");
    }

    [Test]
    public void Malformed_json_exits_2_with_one_clear_line_and_no_stack_trace()
    {
        var file = TestPaths.GuardData("malformed.json");
        var run = GuardRun.Of(file);

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput));
        Assert.That(run.Stdout, Is.Empty);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.StartWith($"guard: {file}: not valid JSON at line 83, byte "));
        Assert.That(run.Stderr, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
    }

    [Test]
    public void Json_of_another_shape_exits_2_naming_the_field()
    {
        var run = GuardRun.WithStdin("""{"steps":[{"op":"create"}]}""", "-");

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput));
        Assert.That(run.Stderr.Trim(), Is.EqualTo("guard: stdin: steps[0] has no \"urn\""));
    }

    [Test]
    public void Empty_input_exits_2_and_says_why()
    {
        var run = GuardRun.WithStdin("  \n", "-");

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput));
        Assert.That(run.Stderr, Does.Contain("guard: stdin: the document is empty"));
    }

    [Test]
    public void Missing_file_exits_2()
    {
        var run = GuardRun.Of(Path.Combine(Path.GetTempPath(), "no-such-boma-preview.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput));
        Assert.That(run.Stderr, Does.Contain("no-such-boma-preview.json: cannot read the file"));
    }

    [Test]
    public void Reads_stdin_and_takes_the_stack_name_from_the_option()
    {
        var run = GuardRun.WithStdin(File.ReadAllText(TestPaths.GuardData("compliant.json")), "-", "--stack", "askari");

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.Compliant), run.Stderr);
        Assert.That(run.Stdout, Does.Contain("| askari | 9 |"));
    }

    [Test]
    public void Several_files_give_one_row_each_and_fail_if_any_violates()
    {
        var run = GuardRun.Of(TestPaths.GuardData("compliant.json"), TestPaths.GuardData("protected-replace.json"));

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
        Assert.That(run.Stdout, Does.Contain("| offsite | 9 | 0 | 0 | 0 | 0 |"));
        Assert.That(run.Stdout, Does.Contain("| offsite | 0 | 0 | 1 | 0 | 8 |"));
    }

    [Test]
    public void Summary_option_writes_the_markdown_to_a_file()
    {
        var summary = Path.Combine(Path.GetTempPath(), $"boma-guard-{Guid.NewGuid():N}.md");
        try
        {
            var run = GuardRun.Of(TestPaths.GuardData("ssh-world.json"), "--summary", summary);

            Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound));
            Assert.That(run.Stdout.Trim(), Is.EqualTo($"guard: 1 stack(s), 1 violation(s); summary in {summary}"));
            Assert.That(File.ReadAllText(summary), Does.StartWith("## boma guard").And.Contain("`ssh-world`"));
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Test]
    public void A_preview_without_unchanged_resources_gets_a_note()
    {
        const string doc = """
            {"steps":[{"op":"update","urn":"urn:pulumi:cluster::boma::boma:x:Y$gandi:livedns/record:Record::r",
              "newState":{"type":"gandi:livedns/record:Record","parent":"urn:pulumi:cluster::boma::boma:x:Y::y","inputs":{"ttl":300}}}],
             "changeSummary":{"update":1,"same":14}}
            """;
        var run = GuardRun.WithStdin(doc, "-");

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.Compliant), run.Stderr);
        Assert.That(run.Stdout, Does.Contain("| cluster | 0 | 1 | 0 | 0 | 14 |"));
        Assert.That(run.Stdout, Does.Contain("--show-sames"));
    }

    [TestCase(new string[0], "give at least one preview file")]
    [TestCase(new[] { "a.json", "--bogus" }, "unknown option '--bogus'")]
    [TestCase(new[] { "a.json", "--allow-replace" }, "--allow-replace needs a value")]
    [TestCase(new[] { "a.json", "--allow-replace", "--summary", "s.md" }, "--allow-replace needs a value")]
    [TestCase(new[] { "a.json", "b.json", "--stack", "x" }, "--stack names one stack")]
    [TestCase(new[] { "-", "-" }, "stdin ('-') can be read only once")]
    public void Usage_errors_exit_64_with_the_reason_and_the_usage(string[] args, string reason)
    {
        var run = GuardRun.Of(args);

        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.UsageError));
        Assert.That(run.Stderr, Does.Contain(reason).And.Contain("usage: boma guard FILE..."));
        Assert.That(run.Stdout, Is.Empty);
    }

    [Test]
    public void Help_prints_usage_with_the_exit_codes()
    {
        var run = GuardRun.Of("--help");

        Assert.That(run.ExitCode, Is.EqualTo(0));
        Assert.That(run.Stdout, Does.Contain("exit codes: 0 compliant, 1 invariant violations, 2 unreadable or malformed input, 64 usage error"));
    }

    [Test]
    public void A_broken_rule_file_exits_2_naming_the_rule()
    {
        var rules = Path.Combine(Path.GetTempPath(), $"boma-rules-{Guid.NewGuid():N}.json");
        File.WriteAllText(rules, """{"rules":[{"id":"x","kind":"no-such-kind","enforcedBy":["guard"],"description":"d"}]}""");
        try
        {
            var run = GuardRun.Of(TestPaths.GuardData("compliant.json"), "--rules", rules);

            Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput));
            Assert.That(run.Stderr, Does.Contain("rule 'x': unknown kind 'no-such-kind'"));
        }
        finally
        {
            File.Delete(rules);
        }
    }
}

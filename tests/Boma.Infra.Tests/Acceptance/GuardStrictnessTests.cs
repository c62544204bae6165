using System.Text.Json.Nodes;
using Boma.Infra.Cli;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;

namespace Boma.Infra.Tests.Acceptance;

/// <summary>The guard's strictness (docs/guard.md): unknown means refused (exit 2, one line), and no label exempts SSH from the world check.</summary>
[TestFixture]
public sealed class GuardStrictnessTests
{
    private static readonly string Compliant = File.ReadAllText(TestPaths.GuardData("compliant.json"));

    private static GuardRun Judge(string json) => GuardRun.WithStdin(json, "-");

    private static void AssertRefused(GuardRun run, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput), run.Stderr);
            Assert.That(run.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.Stderr);
            Assert.That(run.Stderr, Does.Contain(expected));
            Assert.That(run.Stdout, Is.Empty);
        });
    }

    private static JsonObject Doc() => JsonNode.Parse(Compliant)!.AsObject();

    private static JsonArray FirewallRules(JsonObject doc) =>
        doc["steps"]!.AsArray().Single(s => s!["urn"]!.GetValue<string>().Contains("firewall:Firewall", StringComparison.Ordinal))!["newState"]!["inputs"]!["rules"]!.AsArray();

    [Test]
    public void The_compliant_document_passes() =>
        Assert.That(Judge(Compliant).ExitCode, Is.EqualTo(GuardCommand.Compliant));

    [Test]
    public void A_stack_export_is_the_wrong_kind_of_document()
    {
        var export = new JsonObject { ["version"] = 3, ["deployment"] = new JsonObject { ["resources"] = new JsonArray() } };
        AssertRefused(Judge(export.ToJsonString()), "pulumi stack export");
    }

    [TestCase("Create")]
    [TestCase("CREATE")]
    [TestCase("upsert")]
    [TestCase("")]
    public void An_unknown_or_capitalised_op_is_refused(string op)
    {
        var doc = Doc();
        doc["steps"]![0]!["op"] = op;
        AssertRefused(Judge(doc.ToJsonString()), "is not an operation the engine emits");
    }

    [Test]
    public void A_duplicate_key_is_refused_not_a_crash()
    {
        var json = Compliant.Replace("\"op\": \"create\"", "\"op\": \"create\", \"op\": \"same\"", StringComparison.Ordinal);
        Assert.That(json, Is.Not.EqualTo(Compliant));
        AssertRefused(Judge(json), "not valid JSON");
    }

    [Test]
    public void Invalid_utf8_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"boma-guard-{Guid.NewGuid():N}.json");
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(Compliant).ToList();
            bytes.InsertRange(Compliant.IndexOf("askari", StringComparison.Ordinal), [0xFF, 0xFE, 0xC3]);
            File.WriteAllBytes(path, [.. bytes]);
            AssertRefused(GuardRun.Of(path), "not UTF-8");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_break_glass_description_exempts_nothing()
    {
        var doc = Doc();
        var rule = FirewallRules(doc).Single(r => r!["port"]?.GetValue<string>() == "22")!;
        rule["sourceIps"] = new JsonArray("0.0.0.0/0", "::/0");
        var run = Judge(doc.ToJsonString());
        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("ssh-world").And.Contain("no description exempts"));
    }

    [TestCase("0.0.0.0/1", "128.0.0.0/1")]
    [TestCase("0::/0")]
    [TestCase("::/1", "8000::/1")]
    [TestCase("0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2")]
    [TestCase("10.0.0.0/7")]
    public void Ssh_sources_that_cover_the_internet_fail_however_they_are_spelt(params string[] sources)
    {
        var doc = Doc();
        var rules = FirewallRules(doc);
        // Spread the sources over separate rules: the coverage is per firewall, not per rule.
        foreach (var source in sources)
        {
            rules.Add(new JsonObject { ["description"] = "admin", ["direction"] = "in", ["protocol"] = "tcp", ["port"] = "22", ["sourceIps"] = new JsonArray(source) });
        }

        var run = Judge(doc.ToJsonString());
        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("ssh-world"));
    }

    [TestCase("010.1.1.1/32")]
    [TestCase("10.1/32")]
    [TestCase("fe80::1%eth0/128")]
    [TestCase("any")]
    public void A_source_that_is_not_a_strict_cidr_is_a_violation(string source)
    {
        var doc = Doc();
        FirewallRules(doc).Add(new JsonObject { ["direction"] = "in", ["protocol"] = "tcp", ["port"] = "22", ["sourceIps"] = new JsonArray(source) });
        var run = Judge(doc.ToJsonString());
        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.ViolationsFound), run.Stderr);
        Assert.That(run.Stderr, Does.Contain("not a strict CIDR"));
    }

    private static GuardRun WithRules(string rulesJson)
    {
        var path = Path.Combine(Path.GetTempPath(), $"boma-rules-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, rulesJson);
        try
        {
            return GuardRun.Of(TestPaths.GuardData("compliant.json"), "--rules", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly string ShippedRules = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "policy", "rules.json"));

    [Test]
    public void The_shipped_rules_load() =>
        Assert.That(WithRules(ShippedRules).ExitCode, Is.EqualTo(GuardCommand.Compliant));

    [TestCase("\"widestSourcePrefix\": 8,", "\"widestSourcePrefix\": 8, \"widestSourcePrefix\": 0,", "a key appears twice")]
    [TestCase("\"widestSourcePrefix\": 8,", "\"widestSourcePrefix\": 8, \"worldCidr\": [],", "unknown parameter 'worldCidr'")]
    [TestCase("\"version\": 1,", "\"version\": 2,", "\"version\" must be 1")]
    [TestCase("\"version\": 1,", "\"version\": 1, \"rule\": [],", "unknown key \"rule\"")]
    [TestCase("\"kind\": \"firewall-world-ssh\",", "\"kind\": \"firewall-world-ssh\", \"enforced\": [],", "unknown key \"enforced\"")]
    [TestCase("\"widestSourcePrefix\": 8,", "\"widestSourcePrefix\": 0,", "must be 1 to 32")]
    public void A_sloppy_rule_file_is_refused(string from, string to, string expected)
    {
        Assert.That(ShippedRules, Does.Contain(from));
        AssertRefused(WithRules(ShippedRules.Replace(from, to, StringComparison.Ordinal)), expected);
    }

    [Test]
    public void A_rule_file_that_is_not_utf8_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"boma-rules-{Guid.NewGuid():N}.json");
        var bytes = System.Text.Encoding.UTF8.GetBytes(ShippedRules).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'{') + 1, new byte[] { 0xC3, 0x28 });
        File.WriteAllBytes(path, [.. bytes]);
        try
        {
            AssertRefused(GuardRun.Of(TestPaths.GuardData("compliant.json"), "--rules", path), "UTF-8");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("not-a-urn\n")]
    [TestCase("urn:pulumi:offsite::boma::hcloud:index/server:Server::askari extra words\n")]
    [TestCase("\u00ff\n")]
    public void An_allow_file_line_that_is_not_a_urn_is_refused(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"boma-allow-{Guid.NewGuid():N}.txt");
        var bytes = System.Text.Encoding.UTF8.GetBytes("# comment\n" + content).ToList();
        if (content == "\u00ff\n")
        {
            bytes = [.. System.Text.Encoding.UTF8.GetBytes("# comment\n"), 0xFF, (byte)'\n']; // invalid UTF-8
        }

        File.WriteAllBytes(path, [.. bytes]);
        try
        {
            var run = GuardRun.Of(TestPaths.GuardData("compliant.json"), "--allow-file", path);
            Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput), run.Stderr);
            Assert.That(run.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.Stderr);
            Assert.That(run.Stdout, Is.Empty);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void An_allow_replace_value_that_is_not_a_urn_is_refused()
    {
        var run = GuardRun.Of(TestPaths.GuardData("compliant.json"), "--allow-replace", "askari");
        Assert.That(run.ExitCode, Is.EqualTo(GuardCommand.BadInput), run.Stderr);
        Assert.That(run.Stderr.TrimEnd(), Does.Contain("is not a URN").And.Not.Contain("\n"));
    }
}

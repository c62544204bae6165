using Boma.Infra.Policy;
using NUnit.Framework;

namespace Boma.Infra.Tests.Policy;

[TestFixture]
public class RuleSetTests
{
    [Test]
    public void The_shipped_rule_file_loads_every_invariant_of_issue_4_and_the_guard_rule()
    {
        var rules = RuleSet.LoadDefault();

        Assert.That(rules.Definitions.Select(d => d.Id), Is.EquivalentTo(new List<string>
        {
            "ssh-world", "firewall-at-creation", "server-ignore-changes", "secret-command-logging",
            "parent-required", "protected-types-protected", "dns-ttl-min", "protected-replace-or-delete",
        }));
        Assert.That(rules.ChangeRules.Single().Definition.EnforcedBy, Is.EquivalentTo(new[] { EnforcementPoint.Guard }));
        Assert.That(rules.ResourceRules.All(r => r.Definition.EnforcedBy.Contains(EnforcementPoint.UnitTests)
                                                 && r.Definition.EnforcedBy.Contains(EnforcementPoint.Guard)));
    }

    [Test]
    public void The_rule_file_is_next_to_the_program()
    {
        Assert.That(File.Exists(RuleSet.DefaultPath), Is.True, RuleSet.DefaultPath);
        Assert.That(File.ReadAllText(RuleSet.DefaultPath),
            Is.EqualTo(File.ReadAllText(Path.Combine(Cli.TestPaths.RepoRoot, "policy", "rules.json"))));
    }

    [Test]
    public void An_unknown_kind_names_the_rule_and_the_known_kinds()
    {
        var e = Assert.Throws<PolicyFileException>(() => RuleSet.Parse(
            """{"rules":[{"id":"r1","kind":"nope","enforcedBy":["guard"],"description":"d","parameters":{}}]}""", "t.json"));

        Assert.That(e!.Message, Does.StartWith("t.json: rule 'r1': unknown kind 'nope' (known: firewall-world-ssh,"));
    }

    [Test]
    public void A_missing_parameter_names_the_rule_and_the_key()
    {
        var e = Assert.Throws<PolicyFileException>(() => RuleSet.Parse(
            """{"rules":[{"id":"ttl","kind":"number-at-least","enforcedBy":["guard"],"description":"d","parameters":{"types":["x"],"property":"ttl"}}]}""", "t.json"));

        Assert.That(e!.Message, Is.EqualTo("t.json: rule 'ttl': parameter 'minimum' must be an integer"));
    }

    [Test]
    public void An_unknown_enforcement_point_is_refused()
    {
        var e = Assert.Throws<PolicyFileException>(() => RuleSet.Parse(
            """{"rules":[{"id":"a","kind":"number-at-least","enforcedBy":["crossguard"],"description":"d"}]}""", "t.json"));

        Assert.That(e!.Message, Does.Contain("unknown enforcement point 'crossguard'"));
    }

    [Test]
    public void Duplicate_ids_are_refused()
    {
        const string rule = """{"id":"a","kind":"protected-types","enforcedBy":["guard"],"description":"d","parameters":{"types":["t"]}}""";
        var e = Assert.Throws<PolicyFileException>(() => RuleSet.Parse($$"""{"rules":[{{rule}},{{rule}}]}""", "t.json"));

        Assert.That(e!.Message, Is.EqualTo("t.json: rule id 'a' appears twice"));
    }

    [Test]
    public void Invalid_json_names_the_position()
    {
        var e = Assert.Throws<PolicyFileException>(() => RuleSet.Parse("{\n  \"rules\": [,]\n}", "t.json"));

        Assert.That(e!.Message, Does.StartWith("t.json: not valid JSON at line 2"));
    }

    [Test]
    public void A_rule_enforced_only_by_guard_is_not_applied_in_unit_tests()
    {
        var rules = RuleSet.Parse(
            """{"rules":[{"id":"p","kind":"protected-types","enforcedBy":["guard"],"description":"d","parameters":{"types":["hcloud:index/server:Server"]}}]}""", "t.json");
        var evaluator = new InvariantEvaluator(rules);
        var server = Views.Custom("hcloud:index/server:Server", "s");

        Assert.That(evaluator.Check([server], EnforcementPoint.UnitTests), Is.Empty);
        Assert.That(evaluator.Check([server], EnforcementPoint.Guard), Has.Count.EqualTo(1));
    }
}

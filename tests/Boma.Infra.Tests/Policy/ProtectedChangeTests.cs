using Boma.Infra.Policy;
using NUnit.Framework;
using static Boma.Infra.Tests.Policy.Views;

namespace Boma.Infra.Tests.Policy;

[TestFixture]
public class ProtectedChangeTests
{
    private static readonly InvariantEvaluator Evaluator = new(RuleSet.LoadDefault());
    private static readonly HashSet<string> NoneAllowed = [];

    private static List<Violation> ChangeViolations(IReadOnlySet<string> allowed, params PlannedChange[] changes) =>
        Evaluator.CheckPreview(changes, allowed).Where(v => v.RuleId == "protected-replace-or-delete").ToList();

    [Test]
    public void Replacement_steps_of_one_protected_server_give_one_violation()
    {
        var server = Custom("hcloud:index/server:Server", "askari", protect: true) with { Op = "replace" };

        var violations = ChangeViolations(NoneAllowed,
            new PlannedChange("create-replacement", server.Urn, server, server),
            new PlannedChange("replace", server.Urn, server, server) { ReplaceReasons = ["userData"] },
            new PlannedChange("delete-replaced", server.Urn, server, null));

        Assert.That(violations, Has.Count.EqualTo(1));
        Assert.That(violations[0].Message, Does.StartWith("this protected resource would be replaced"));
    }

    [Test]
    public void Deleting_any_resource_with_the_protect_flag_fails()
    {
        var volume = Custom("hcloud:index/volume:Volume", "data", protect: true);

        var violations = ChangeViolations(NoneAllowed, new PlannedChange("delete", volume.Urn, volume, null));

        Assert.That(violations.Single().Message, Does.StartWith("this protected resource would be deleted (step 'delete')"));
    }

    [Test]
    public void A_protected_type_counts_even_if_the_flag_was_dropped()
    {
        var vm = Custom("proxmoxve:index/vmLegacy:VmLegacy", "vm");

        Assert.That(ChangeViolations(NoneAllowed, new PlannedChange("delete", vm.Urn, vm, null)), Has.Count.EqualTo(1));
    }

    [Test]
    public void Updates_and_unprotected_replacements_pass()
    {
        var server = Custom("hcloud:index/server:Server", "askari", protect: true);
        var record = Custom("gandi:livedns/record:Record", "r");

        Assert.That(ChangeViolations(NoneAllowed,
            new PlannedChange("update", server.Urn, server, server),
            new PlannedChange("replace", record.Urn, record, record)), Is.Empty);
    }

    [Test]
    public void An_allowed_urn_passes()
    {
        var server = Custom("hcloud:index/server:Server", "askari", protect: true);

        Assert.That(ChangeViolations(new HashSet<string> { server.Urn }, new PlannedChange("replace", server.Urn, server, server)), Is.Empty);
    }

    [Test]
    public void Resource_rules_judge_the_state_after_the_preview_and_skip_deleted_resources()
    {
        var before = Custom("gandi:livedns/record:Record", "r", new() { ["ttl"] = 60 });
        var after = before with { Inputs = new() { ["ttl"] = 300 } };
        var gone = Custom("gandi:livedns/record:Record", "old", new() { ["ttl"] = 60 });

        var violations = Evaluator.CheckPreview(
            [new PlannedChange("update", before.Urn, before, after), new PlannedChange("delete", gone.Urn, gone, null)],
            NoneAllowed);

        Assert.That(violations, Is.Empty);
    }
}

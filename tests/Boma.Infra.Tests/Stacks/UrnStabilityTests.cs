using NUnit.Framework;
using Boma.Infra.Cli;
using Boma.Infra.Stacks;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;

namespace Boma.Infra.Tests.Stacks;

/// <summary>
/// A deployed stack must not be replaced by a refactoring: every URN of the offline plans as they were before the
/// RemoteHost/ComposeStack refactoring (testdata/urns-*.txt, from `plan X --json` of the repo's stack files) is
/// either still registered or named by an alias of a resource that is.
/// </summary>
[TestFixture]
public sealed class UrnStabilityTests
{
    [TestCase("offsite")]
    [TestCase("cluster")]
    public async Task Every_urn_of_the_previous_plan_stays_or_is_aliased(string stack)
    {
        var before = File.ReadAllLines(Path.Combine(PlanRunner.RepoRoot, "tests", "Boma.Infra.Tests", "Stacks", "testdata", $"urns-{stack}.txt"))
            .Where(l => l.Length > 0).ToList();
        var config = StackConfigFile.Load(Path.Combine(PlanRunner.RepoRoot, $"Pulumi.{stack}.yaml"), StackCatalogue.Find(stack)!.SecretKeys);
        var (result, _, _) = await PlanCommand.RunAsync("boma", stack, config);
        var known = Known(result, stack);
        Assert.That(before, Is.Not.Empty);
        Assert.That(before.Where(urn => !known.Contains(urn)), Is.Empty, "URNs that would be replaced (neither kept nor aliased)");
    }

    [Test]
    public async Task The_check_sees_a_renamed_resource()
    {
        // Proves the test above can fail: a URN nobody registers or aliases is reported.
        var config = StackConfigFile.Load(Path.Combine(PlanRunner.RepoRoot, "Pulumi.offsite.yaml"), StackCatalogue.Find("offsite")!.SecretKeys);
        var (result, _, _) = await PlanCommand.RunAsync("boma", "offsite", config);
        Assert.That(Known(result, "offsite"), Does.Not.Contain("urn:pulumi:offsite::boma::boma:netbird:NetbirdServer$command:remote:Command::netbird-upp"));
        Assert.That(Known(result, "offsite"), Does.Contain("urn:pulumi:offsite::boma::boma:netbird:NetbirdServer$command:remote:Command::netbird-up"),
            "netbird-up moved under its ComposeStack and keeps its old URN as an alias");
    }

    /// <summary>Registered URNs plus the URNs their alias specs stand for (same rule as the engine: parent's type chain, type, name).</summary>
    private static HashSet<string> Known(TestResult result, string stack)
    {
        var known = new HashSet<string>(result.Registrations.Select(r => r.Urn), StringComparer.Ordinal);
        foreach (var r in result.Registrations)
        {
            foreach (var alias in r.Request.Aliases)
            {
                if (alias.Urn.Length > 0)
                {
                    known.Add(alias.Urn);
                    continue;
                }

                var spec = alias.Spec;
                var type = spec.Type.Length > 0 ? spec.Type : r.Request.Type;
                var name = spec.Name.Length > 0 ? spec.Name : r.Request.Name;
                var project = spec.Project.Length > 0 ? spec.Project : "boma";
                var stackName = spec.Stack.Length > 0 ? spec.Stack : stack;
                var qualified = type;
                if (!spec.NoParent && spec.ParentUrn.Length > 0)
                {
                    var parentType = spec.ParentUrn.Split("::")[2];
                    if (parentType != "pulumi:pulumi:Stack")
                    {
                        qualified = $"{parentType}${type}";
                    }
                }

                known.Add($"urn:pulumi:{stackName}::{project}::{qualified}::{name}");
            }
        }

        return known;
    }
}

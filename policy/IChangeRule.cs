namespace Boma.Infra.Policy;

/// <summary>A rule over the planned operations of a preview (what happens to a resource, not what it looks like).</summary>
public interface IChangeRule
{
    RuleDefinition Definition { get; }

    IEnumerable<Violation> Check(IReadOnlyList<PlannedChange> changes, IReadOnlySet<string> allowedUrns);
}

namespace Boma.Infra.Policy;

/// <summary>Applies the rule file to resources (unit tests, guard) and to planned changes (guard).</summary>
public sealed class InvariantEvaluator(RuleSet rules)
{
    public RuleSet Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <summary>Every violation of the resource rules enabled for this enforcement point, for one stack's resources.</summary>
    public IReadOnlyList<Violation> Check(IEnumerable<ResourceView> resources, EnforcementPoint point)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var list = resources.ToList();
        return Rules.ResourceRules
            .Where(r => r.Definition.EnforcedBy.Contains(point))
            .SelectMany(r => r.Check(list))
            .ToList();
    }

    /// <summary>
    /// Guard's check of one stack's preview: resource rules over the state each resource will have afterwards
    /// (one per URN; deleted resources have none), then the change rules over the steps.
    /// </summary>
    public IReadOnlyList<Violation> CheckPreview(IEnumerable<PlannedChange> changes, IReadOnlySet<string> allowedUrns)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(allowedUrns);
        var list = changes.ToList();
        var after = new Dictionary<string, ResourceView>(StringComparer.Ordinal);
        foreach (var state in list.Select(c => c.New).OfType<ResourceView>())
        {
            after[state.Urn] = state;
        }

        var violations = Check(after.Values, EnforcementPoint.Guard).ToList();
        violations.AddRange(Rules.ChangeRules
            .Where(r => r.Definition.EnforcedBy.Contains(EnforcementPoint.Guard))
            .SelectMany(r => r.Check(list, allowedUrns)));
        return violations;
    }
}

namespace Boma.Infra.Policy.Rules;

/// <summary>
/// Kind "protected-replace-or-delete" (guard only): a step that replaces or deletes a protected resource fails
/// unless its URN is explicitly allowed. One violation per URN, however many replacement steps the preview shows.
/// </summary>
internal sealed class ProtectedReplaceOrDeleteRule : IChangeRule
{
    private readonly IReadOnlyList<string> types;
    private readonly bool alsoWhenProtectFlagSet;
    private readonly IReadOnlyList<string> ops;

    public ProtectedReplaceOrDeleteRule(RuleDefinition definition)
    {
        Definition = definition;
        types = definition.Parameters.Strings("types");
        alsoWhenProtectFlagSet = definition.Parameters.Bool("alsoWhenProtectFlagSet", true);
        ops = definition.Parameters.Strings("ops");
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<PlannedChange> changes, IReadOnlySet<string> allowedUrns)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(allowedUrns);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!ops.Contains(change.Op, StringComparer.Ordinal))
            {
                continue;
            }

            var isProtected = TypePattern.MatchesAny(types, change.Type)
                              || (alsoWhenProtectFlagSet && (change.Old?.Protect == true || change.New?.Protect == true));
            if (isProtected && !allowedUrns.Contains(change.Urn) && reported.Add(change.Urn))
            {
                var verb = change.Op == "delete" ? "deleted" : "replaced";
                var reasons = change.ReplaceReasons.Count > 0
                    ? $" because {string.Join(", ", change.ReplaceReasons)} changed"
                    : "";
                yield return new Violation(Definition.Id, change.Urn,
                    $"this protected resource would be {verb}{reasons} (step '{change.Op}'): undo the change that forces it, or, if you mean it, allow the URN with --allow-replace or a line in policy/allow-replace.txt");
            }
        }
    }
}

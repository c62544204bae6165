namespace Boma.Infra.Policy;

/// <summary>One broken invariant: which rule, which resource, and what to change.</summary>
public sealed record Violation(string RuleId, string Urn, string Message)
{
    public override string ToString() => $"{RuleId}: {Urn}: {Message}";
}

namespace Boma.Infra.Policy;

/// <summary>One entry of policy/rules.json: the data that chooses and configures a rule kind.</summary>
public sealed record RuleDefinition(
    string Id,
    string Kind,
    string Description,
    IReadOnlySet<EnforcementPoint> EnforcedBy,
    RuleParameters Parameters);

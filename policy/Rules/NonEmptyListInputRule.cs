using System.Text.Json.Nodes;

namespace Boma.Infra.Policy.Rules;

/// <summary>Kind "non-empty-list-input": a list input must be set and non-empty (an unknown value counts as set).</summary>
internal sealed class NonEmptyListInputRule : IResourceRule
{
    private readonly IReadOnlyList<string> types;
    private readonly string property;
    private readonly string fix;

    public NonEmptyListInputRule(RuleDefinition definition)
    {
        Definition = definition;
        types = definition.Parameters.Strings("types");
        property = definition.Parameters.String("property");
        fix = definition.Parameters.OptionalString("fix") ?? $"set {property}";
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources.Where(r => TypePattern.MatchesAny(types, r.Type)))
        {
            var value = resource.Inputs[property];
            // In a preview the firewall's id is not known yet; the list (or the whole value) is then unknown, which is fine.
            var present = WireValue.IsUnknown(value) || WireValue.IsSecret(value)
                          || (WireValue.Unwrap(value) is JsonArray list && list.Count > 0);
            if (!present)
            {
                yield return new Violation(Definition.Id, resource.Urn,
                    $"{property} is {(value is null ? "not set" : "empty")}: {fix}");
            }
        }
    }
}

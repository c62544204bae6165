using System.Globalization;

namespace Boma.Infra.Policy.Rules;

/// <summary>Kind "number-at-least": a numeric input is at least a minimum (unknown or secret values are not judged).</summary>
internal sealed class NumberAtLeastRule : IResourceRule
{
    private readonly IReadOnlyList<string> types;
    private readonly string property;
    private readonly int minimum;

    public NumberAtLeastRule(RuleDefinition definition)
    {
        Definition = definition;
        types = definition.Parameters.Strings("types");
        property = definition.Parameters.String("property");
        minimum = definition.Parameters.Int("minimum");
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources.Where(r => TypePattern.MatchesAny(types, r.Type)))
        {
            if (WireValue.AsNumber(resource.Inputs[property]) is { } value && value < minimum)
            {
                yield return new Violation(Definition.Id, resource.Urn, string.Create(CultureInfo.InvariantCulture,
                    $"{property} is {value} but must be at least {minimum}: raise it to {minimum} or more"));
            }
        }
    }
}

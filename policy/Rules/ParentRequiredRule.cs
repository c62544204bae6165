namespace Boma.Infra.Policy.Rules;

/// <summary>
/// Kind "parent-required": every resource but the root stack has a parent, and only the listed types
/// (components, explicit providers) may have the root stack itself as parent. Default providers are made by
/// the engine, which gives them no parent, so they are exempt.
/// </summary>
internal sealed class ParentRequiredRule : IResourceRule
{
    private const string ProviderTypePrefix = "pulumi:providers:";
    private readonly string rootType;
    private readonly IReadOnlyList<string> allowedUnderRoot;
    private readonly string defaultProviderPrefix;

    public ParentRequiredRule(RuleDefinition definition)
    {
        Definition = definition;
        var p = definition.Parameters;
        rootType = p.String("rootType");
        allowedUnderRoot = p.Strings("allowedUnderRoot");
        defaultProviderPrefix = p.String("defaultProviderPrefix");
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources)
        {
            if (resource.Type == rootType
                || (resource.Type.StartsWith(ProviderTypePrefix, StringComparison.Ordinal)
                    && resource.Name.StartsWith(defaultProviderPrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            if (string.IsNullOrEmpty(resource.Parent))
            {
                yield return new Violation(Definition.Id, resource.Urn,
                    "has no parent: create it with Parent = the component that owns it");
            }
            else if (ResourceView.TypeFromUrn(resource.Parent) == rootType && !TypePattern.MatchesAny(allowedUnderRoot, resource.Type))
            {
                yield return new Violation(Definition.Id, resource.Urn,
                    $"hangs directly off the root stack: only {string.Join(", ", allowedUnderRoot)} may; create it inside its component with Parent = this");
            }
        }
    }
}

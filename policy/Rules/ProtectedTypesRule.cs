namespace Boma.Infra.Policy.Rules;

/// <summary>Kind "protected-types": resources of these types are registered with protect (and, if asked, retainOnDelete).</summary>
internal sealed class ProtectedTypesRule : IResourceRule
{
    private readonly IReadOnlyList<string> types;
    private readonly bool requireRetainOnDelete;

    public ProtectedTypesRule(RuleDefinition definition)
    {
        Definition = definition;
        types = definition.Parameters.Strings("types");
        requireRetainOnDelete = definition.Parameters.Bool("requireRetainOnDelete", false);
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources.Where(r => TypePattern.MatchesAny(types, r.Type)))
        {
            if (!resource.Protect)
            {
                yield return new Violation(Definition.Id, resource.Urn,
                    "is not protected: register it with Protect = true");
            }

            if (requireRetainOnDelete && !resource.RetainOnDelete)
            {
                yield return new Violation(Definition.Id, resource.Urn,
                    "does not retain on delete: register it with RetainOnDelete = true");
            }
        }
    }
}

namespace Boma.Infra.Policy.Rules;

/// <summary>Kind "required-ignore-changes": resources of a type list these property paths in ignoreChanges.</summary>
internal sealed class RequiredIgnoreChangesRule : IResourceRule
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> paths;

    public RequiredIgnoreChangesRule(RuleDefinition definition)
    {
        Definition = definition;
        paths = definition.Parameters.StringLists("paths");
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var resource in resources)
        {
            foreach (var (type, required) in paths)
            {
                if (!TypePattern.Matches(type, resource.Type))
                {
                    continue;
                }

                var missing = required.Where(p => !resource.IgnoreChanges.Contains(p, StringComparer.Ordinal)).ToList();
                if (missing.Count > 0)
                {
                    yield return new Violation(Definition.Id, resource.Urn,
                        $"ignoreChanges lacks {string.Join(", ", missing)} (a change there would replace the machine): add IgnoreChanges = [{string.Join(", ", required.Select(p => $"\"{p}\""))}] to its resource options");
                }
            }
        }
    }
}

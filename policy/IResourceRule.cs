namespace Boma.Infra.Policy;

/// <summary>A rule over the set of resources a stack declares (one stack at a time, so it can count across resources).</summary>
public interface IResourceRule
{
    RuleDefinition Definition { get; }

    IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources);
}

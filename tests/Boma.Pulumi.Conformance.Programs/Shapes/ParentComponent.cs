using Boma.Pulumi;

namespace Boma.Pulumi.Conformance.Programs.Shapes;

/// <summary>A component with one simple child per name in <c>children</c> (Parent = this), then RegisterOutputs.</summary>
public sealed class ParentComponent : ComponentResource
{
    public ParentComponent(string name, IEnumerable<string> children, ComponentResourceOptions? options = null)
        : base("components:index:Parent", name, options)
    {
        Children = children
            .Select(c => new SimpleResource($"{name}-{c}", new SimpleResourceArgs { Value = true }, new CustomResourceOptions { Parent = this }))
            .ToList();
        RegisterOutputs(new Dictionary<string, object?>());
    }

    public IReadOnlyList<SimpleResource> Children { get; }
}

namespace Boma.Pulumi;

/// <summary>Marks an <see cref="Output{T}"/> property of a resource, filled from the engine's response by wire name.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    /// <summary>Marks the property.</summary>
    public OutputAttribute(string? name = null)
    {
        Name = name;
    }

    /// <summary>The wire name; defaults to the property name with a lower-case first letter.</summary>
    public string? Name { get; }
}

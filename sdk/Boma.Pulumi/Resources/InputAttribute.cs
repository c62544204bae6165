namespace Boma.Pulumi;

/// <summary>Marks a <see cref="ResourceArgs"/> property as a resource input with its wire name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Marks the property.</summary>
    public InputAttribute(string name, bool required = false, bool json = false)
    {
        Name = name;
        IsRequired = required;
        Json = json;
    }

    /// <summary>The wire name (camelCase as in the provider schema).</summary>
    public string Name { get; }

    /// <summary>Whether the resource cannot be created without it.</summary>
    public bool IsRequired { get; }

    /// <summary>Whether the value is sent JSON-encoded as a string (bridged providers' non-string config).</summary>
    public bool Json { get; }
}

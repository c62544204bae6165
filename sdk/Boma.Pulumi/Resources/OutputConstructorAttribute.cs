namespace Boma.Pulumi;

/// <summary>Marks the constructor of an <see cref="OutputTypeAttribute"/> type; its parameter names are the wire names.</summary>
[AttributeUsage(AttributeTargets.Constructor)]
public sealed class OutputConstructorAttribute : Attribute
{
}

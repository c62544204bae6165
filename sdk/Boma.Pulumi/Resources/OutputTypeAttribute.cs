namespace Boma.Pulumi;

/// <summary>Marks a complex output type built from the wire through its <see cref="OutputConstructorAttribute"/> constructor.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
public sealed class OutputTypeAttribute : Attribute
{
}

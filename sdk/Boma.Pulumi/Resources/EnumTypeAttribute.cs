namespace Boma.Pulumi;

/// <summary>
/// Marks a provider enum: a struct with one static member per value whose <see cref="object.ToString"/> is the
/// value on the wire (the official SDK's generated enums have this shape and attribute).
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum)]
public sealed class EnumTypeAttribute : Attribute
{
}

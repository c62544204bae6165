namespace Boma.Pulumi;

/// <summary>URN helpers. Only the engine assigns URNs; these compute the same shape for mocks and aliases.</summary>
public static class Urn
{
    /// <summary>The root stack type; it never appears in a child's qualified type.</summary>
    public const string StackType = Serialization.Constants.StackType;

    /// <summary><c>urn:pulumi:&lt;stack&gt;::&lt;project&gt;::&lt;qualifiedType&gt;::&lt;name&gt;</c>, where the type is prefixed by the parent's qualified type and <c>$</c>.</summary>
    public static string Create(string stack, string project, string? parentUrn, string type, string name)
    {
        var qualified = type;
        if (!string.IsNullOrEmpty(parentUrn))
        {
            var parentType = QualifiedType(parentUrn);
            if (parentType != StackType)
            {
                qualified = parentType + Serialization.Constants.UrnTypeDelimiter + type;
            }
        }

        const string sep = Serialization.Constants.UrnSeparator;
        return $"{Serialization.Constants.UrnPrefix}{stack}{sep}{project}{sep}{qualified}{sep}{name}";
    }

    /// <summary>The qualified type part of a URN.</summary>
    public static string QualifiedType(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        var parts = urn.Split(Serialization.Constants.UrnSeparator);
        return parts.Length >= 4 ? parts[2] : throw new ArgumentException($"'{urn}' is not a URN", nameof(urn));
    }

    /// <summary>The last segment of a qualified type, i.e. the resource's own type.</summary>
    public static string Type(string urn)
    {
        var qualified = QualifiedType(urn);
        var dollar = qualified.LastIndexOf(Serialization.Constants.UrnTypeDelimiter, StringComparison.Ordinal);
        return dollar < 0 ? qualified : qualified[(dollar + 1)..];
    }

    /// <summary>The name part of a URN.</summary>
    public static string Name(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        var parts = urn.Split(Serialization.Constants.UrnSeparator);
        return parts.Length >= 4 ? string.Join(Serialization.Constants.UrnSeparator, parts.Skip(3)) : throw new ArgumentException($"'{urn}' is not a URN", nameof(urn));
    }
}

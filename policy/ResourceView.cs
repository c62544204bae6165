using System.Text.Json.Nodes;

namespace Boma.Infra.Policy;

/// <summary>
/// One resource as the invariant rules see it, whichever source it came from (a preview document's step
/// state, or a registration recorded by the SDK's test monitor). Inputs stay in wire form.
/// </summary>
public sealed record ResourceView
{
    public required string Urn { get; init; }
    public required string Type { get; init; }
    public required string Name { get; init; }
    /// <summary>The parent's URN; null or empty when the resource has none.</summary>
    public string? Parent { get; init; }
    public bool Custom { get; init; }
    /// <summary>The provider reference (<c>urn::id</c>) the resource was registered with; null when none (or from a preview document).</summary>
    public string? Provider { get; init; }
    public bool Protect { get; init; }
    public bool RetainOnDelete { get; init; }
    public bool DeleteBeforeReplace { get; init; }
    public JsonObject Inputs { get; init; } = [];
    public IReadOnlyList<string> IgnoreChanges { get; init; } = [];
    public IReadOnlyList<string> ReplaceOnChanges { get; init; } = [];
    public IReadOnlyList<string> AdditionalSecretOutputs { get; init; } = [];
    public IReadOnlyList<string> Dependencies { get; init; } = [];
    /// <summary>The step operation for preview resources ("create", "update", "same", …); "register" for recordings.</summary>
    public string Op { get; init; } = "register";

    /// <summary>The resource name: the last part of a URN `urn:pulumi:stack::project::type::name`.</summary>
    public static string NameFromUrn(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        var parts = urn.Split("::");
        return parts.Length >= 4 ? string.Join("::", parts[3..]) : urn;
    }

    /// <summary>The resource's own type token from a URN (the part after the last '$' of the qualified type).</summary>
    public static string TypeFromUrn(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        var parts = urn.Split("::");
        if (parts.Length < 4)
        {
            return "";
        }

        var qualified = parts[2];
        var dollar = qualified.LastIndexOf('$');
        return dollar >= 0 ? qualified[(dollar + 1)..] : qualified;
    }

    /// <summary>The stack name in a URN (`urn:pulumi:STACK::…`), or null when the URN has another shape.</summary>
    public static string? StackFromUrn(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        const string prefix = "urn:pulumi:";
        if (!urn.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = urn.IndexOf("::", prefix.Length, StringComparison.Ordinal);
        return end > prefix.Length ? urn[prefix.Length..end] : null;
    }
}

namespace Boma.Pulumi;

/// <summary>A previous identity of a resource. Unset parts mean "same as now"; sent as an alias spec.</summary>
public sealed class Alias
{
    /// <summary>The whole old URN; when set, nothing else is used.</summary>
    public string? Urn { get; set; }

    /// <summary>The old name.</summary>
    public string? Name { get; set; }

    /// <summary>The old type.</summary>
    public string? Type { get; set; }

    /// <summary>The old stack.</summary>
    public string? Stack { get; set; }

    /// <summary>The old project.</summary>
    public string? Project { get; set; }

    /// <summary>The old parent resource.</summary>
    public Resource? Parent { get; set; }

    /// <summary>The old parent URN.</summary>
    public string? ParentUrn { get; set; }

    /// <summary>The resource used to have no parent.</summary>
    public bool NoParent { get; set; }
}

namespace Boma.Pulumi;

/// <summary>Options of provider-managed resources.</summary>
public sealed class CustomResourceOptions : ResourceOptions
{
    /// <summary>Delete the old resource before creating its replacement.</summary>
    public bool? DeleteBeforeReplace { get; set; }

    /// <summary>Output names to treat as secret.</summary>
    public List<string> AdditionalSecretOutputs
    {
        get => _additionalSecretOutputs ??= [];
        set => _additionalSecretOutputs = value;
    }

    private List<string>? _additionalSecretOutputs;

    internal IEnumerable<string> AdditionalSecretOutputsOrNone => (IEnumerable<string>?)_additionalSecretOutputs ?? [];

    /// <summary>Adopt the existing cloud resource with this ID.</summary>
    public string? ImportId { get; set; }

    private protected override void MergeExtraInto(ResourceOptions target)
    {
        if (target is CustomResourceOptions t)
        {
            t.DeleteBeforeReplace = DeleteBeforeReplace ?? t.DeleteBeforeReplace;
            if (_additionalSecretOutputs is { Count: > 0 } additional)
            {
                t.AdditionalSecretOutputs.AddRange(additional);
            }

            t.ImportId = ImportId ?? t.ImportId;
        }
    }
}

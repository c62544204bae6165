namespace Boma.Pulumi;

/// <summary>Options every resource accepts.</summary>
public class ResourceOptions
{
    /// <summary>The parent; top-level resources get the stack.</summary>
    public Resource? Parent { get; set; }

    /// <summary>Extra dependencies. A component here stands for its custom descendants.</summary>
    public InputList<Resource> DependsOn
    {
        get => _dependsOn ??= [];
        set => _dependsOn = value;
    }

    private InputList<Resource>? _dependsOn;

    internal bool HasDependsOn => _dependsOn is not null;

    /// <summary>Refuse deletion; inherited from the parent when unset.</summary>
    public bool? Protect { get; set; }

    /// <summary>Property paths whose changes are ignored.</summary>
    public List<string> IgnoreChanges
    {
        get => _ignoreChanges ??= [];
        set => _ignoreChanges = value;
    }

    // The lists are made when first asked for: most resources set none, and every resource's options live for the run.
    private List<string>? _ignoreChanges;
    private List<string>? _replaceOnChanges;
    private List<Input<Alias>>? _aliases;

    internal IEnumerable<string> IgnoreChangesOrNone => (IEnumerable<string>?)_ignoreChanges ?? [];

    internal IEnumerable<string> ReplaceOnChangesOrNone => (IEnumerable<string>?)_replaceOnChanges ?? [];

    internal IReadOnlyList<Input<Alias>> AliasesOrNone => (IReadOnlyList<Input<Alias>>?)_aliases ?? [];

    /// <summary>Provider plugin version (plain semver, no <c>v</c>).</summary>
    public string? Version { get; set; }

    /// <summary>Where the engine downloads the provider plugin from.</summary>
    public string? PluginDownloadURL { get; set; }

    /// <summary>Explicit provider; inherited from the parent (same package) when unset.</summary>
    public ProviderResource? Provider { get; set; }

    /// <summary>Per-operation timeouts.</summary>
    public CustomTimeouts? CustomTimeouts { get; set; }

    /// <summary>Leave the real resource in place when it is deleted from the stack.</summary>
    public bool? RetainOnDelete { get; set; }

    /// <summary>Property paths whose changes force a replacement.</summary>
    public List<string> ReplaceOnChanges
    {
        get => _replaceOnChanges ??= [];
        set => _replaceOnChanges = value;
    }

    /// <summary>Previous identities of the resource (elements are inputs, as in the official SDK).</summary>
    public List<Input<Alias>> Aliases
    {
        get => _aliases ??= [];
        set => _aliases = value;
    }

    /// <summary>Read an existing resource with this ID instead of managing it (ReadResource).</summary>
    public Input<string>? Id { get; set; }

    /// <summary>Merges two options: lists concatenate, scalars set in <paramref name="b"/> win.</summary>
    public static T Merge<T>(T? a, T? b)
        where T : ResourceOptions, new()
    {
        var result = new T();
        CopyInto(result, a);
        CopyInto(result, b);
        return result;
    }

    private static void CopyInto(ResourceOptions target, ResourceOptions? source)
    {
        if (source is null)
        {
            return;
        }

        target.Parent = source.Parent ?? target.Parent;
        if (source._dependsOn is not null)
        {
            target.DependsOn.AddRange(source._dependsOn);
        }

        target.Protect = source.Protect ?? target.Protect;
        if (source._ignoreChanges is { Count: > 0 } ignoreChanges)
        {
            target.IgnoreChanges.AddRange(ignoreChanges);
        }

        target.Version = source.Version ?? target.Version;
        target.PluginDownloadURL = source.PluginDownloadURL ?? target.PluginDownloadURL;
        target.Provider = source.Provider ?? target.Provider;
        target.CustomTimeouts = source.CustomTimeouts ?? target.CustomTimeouts;
        target.RetainOnDelete = source.RetainOnDelete ?? target.RetainOnDelete;
        if (source._replaceOnChanges is { Count: > 0 } replaceOnChanges)
        {
            target.ReplaceOnChanges.AddRange(replaceOnChanges);
        }

        if (source._aliases is { Count: > 0 } aliases)
        {
            target.Aliases.AddRange(aliases);
        }

        target.Id = source.Id ?? target.Id;
        source.MergeExtraInto(target);
    }

    /// <summary>Copies the subclass's own options into <paramref name="target"/> (when it is the same kind).</summary>
    private protected virtual void MergeExtraInto(ResourceOptions target)
    {
    }
}

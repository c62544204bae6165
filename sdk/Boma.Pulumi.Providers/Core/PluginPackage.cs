namespace Boma.Pulumi.Providers;

/// <summary>
/// One provider plugin pinned to a version (and, for packages outside Pulumi's own, the URL the
/// engine downloads it from). Every typed resource and explicit provider of the package sends
/// both on its registration, as the generated SDKs do, so the engine uses one plugin version.
/// </summary>
public sealed class PluginPackage
{
    internal PluginPackage(string name, string version, string? pluginDownloadUrl)
    {
        Name = name;
        Version = version;
        PluginDownloadUrl = pluginDownloadUrl;
    }

    /// <summary>The plugin name (first segment of the package's type tokens).</summary>
    public string Name { get; }

    /// <summary>The pinned plugin version.</summary>
    public string Version { get; }

    /// <summary>The pluginDownloadURL to send, or null for Pulumi-owned packages.</summary>
    public string? PluginDownloadUrl { get; }

    /// <summary>
    /// The options a generated SDK would register with: the pinned version and download URL, the
    /// schema's secret outputs and replaceOnChanges paths, merged with the caller's options
    /// (lists concatenate, caller scalars win — <see cref="ResourceOptions.Merge{T}"/>).
    /// </summary>
    public CustomResourceOptions WithDefaults(
        CustomResourceOptions? options, IEnumerable<string> secretOutputs, IEnumerable<string> replaceOnChanges)
    {
        ArgumentNullException.ThrowIfNull(secretOutputs);
        ArgumentNullException.ThrowIfNull(replaceOnChanges);
        var defaults = new CustomResourceOptions
        {
            Version = Version,
            PluginDownloadURL = PluginDownloadUrl,
            AdditionalSecretOutputs = [.. secretOutputs],
            ReplaceOnChanges = [.. replaceOnChanges],
        };
        return ResourceOptions.Merge(defaults, options);
    }
}

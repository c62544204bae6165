namespace Boma.Pulumi;

/// <summary>Options of a provider function call.</summary>
public sealed class InvokeOptions
{
    /// <summary>The parent whose provider (for the function's package) is used when <see cref="Provider"/> is unset.</summary>
    public Resource? Parent { get; set; }

    /// <summary>Explicit provider.</summary>
    public ProviderResource? Provider { get; set; }

    /// <summary>Provider plugin version (plain semver).</summary>
    public string? Version { get; set; }

    /// <summary>Where the engine downloads the provider plugin from.</summary>
    public string? PluginDownloadURL { get; set; }
}

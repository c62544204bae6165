namespace Boma.Pulumi.Providers;

/// <summary>
/// The one place the provider plugin versions and download URLs are pinned. Versions are the
/// ones the official npm SDKs pin (their package.json <c>pulumi.version</c>); gandi and proxmoxve
/// are community packages the engine fetches from GitHub releases. See docs/providers.md.
/// </summary>
public static class PackageVersions
{
    /// <summary>
    /// The official Pulumi .NET SDK (NuGet package Pulumi) that `-p:PulumiSdk=official` builds against.
    /// Boma.Infra.csproj reads this line and the plugin versions below as the NuGet versions of
    /// Pulumi.HCloud, Pulumi.Command, Pulumi.Random, Pulumi.Gandi and Pulumi.ProxmoxVE.
    /// </summary>
    public const string PulumiSdk = "3.112.1";

    /// <summary>hcloud (Pulumi-owned; npm @pulumi/hcloud 1.41.0).</summary>
    public static PluginPackage HCloud { get; } = new("hcloud", "1.41.0", null);

    /// <summary>command (Pulumi-owned; npm @pulumi/command 1.2.1).</summary>
    public static PluginPackage Command { get; } = new("command", "1.2.1", null);

    /// <summary>random (Pulumi-owned; npm @pulumi/random 4.21.2).</summary>
    public static PluginPackage Random { get; } = new("random", "4.21.2", null);

    /// <summary>gandi (Pulumiverse; tag v2.3.2).</summary>
    public static PluginPackage Gandi { get; } = new("gandi", "2.3.2", "github://api.github.com/pulumiverse");

    /// <summary>proxmoxve (muhlba91; npm @muhlba91/pulumi-proxmoxve 8.6.0). The URL names the repository, unlike Pulumiverse's.</summary>
    public static PluginPackage ProxmoxVE { get; } = new("proxmoxve", "8.6.0", "github://api.github.com/muhlba91/pulumi-proxmoxve");

    /// <summary>Every pinned package.</summary>
    public static IReadOnlyList<PluginPackage> All { get; } = [HCloud, Command, Random, Gandi, ProxmoxVE];
}

using System.Text.RegularExpressions;
using Boma.Pulumi.Providers;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>
/// The README's `pulumi plugin install` lines (for offline machines) must name exactly the pinned
/// versions and download URLs, or an offline `pulumi up` would look for plugins nobody installed.
/// </summary>
[TestFixture]
public sealed partial class PluginInstallDocsTests
{
    [GeneratedRegex(@"^pulumi plugin install resource (?<name>\S+) (?<version>\S+)(?: --server (?<server>\S+))?\s*$", RegexOptions.Multiline)]
    private static partial Regex InstallLine();

    [Test]
    public void The_readme_installs_every_pinned_plugin_at_its_version_and_download_url()
    {
        var readme = File.ReadAllText(Path.Combine(SchemaSubset.Directory, "..", "..", "..", "..", "README.md"));
        var documented = InstallLine().Matches(readme)
            .Select(m => (m.Groups["name"].Value, m.Groups["version"].Value, m.Groups["server"].Success ? m.Groups["server"].Value : null))
            .ToList();
        var pinned = PackageVersions.All.Select(p => (p.Name, p.Version, p.PluginDownloadUrl)).ToList();

        Assert.That(documented, Is.EquivalentTo(pinned), "README.md's `pulumi plugin install` lines vs sdk/Boma.Pulumi.Providers/Core/PackageVersions.cs");
    }
}

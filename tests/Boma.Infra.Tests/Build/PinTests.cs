using System.Xml.Linq;
using Boma.Infra.Config;
using Boma.Infra.Tests.Docs;
using Boma.Pins;
using Boma.Pulumi.Providers;

namespace Boma.Infra.Tests.Build;

/// <summary>
/// docs/pins.md: `dotnet run --project tools/pins` lists every pinned version with where it is written, and fails
/// when one thing is written with two versions. Here the scan runs on the checkout and on small made-up checkouts.
/// </summary>
[TestFixture]
public sealed class PinTests
{
    // Made-up versions are joined at run time, so this file does not itself show up in the checkout's scan.
    private static readonly string Bad = string.Join('.', "9", "9", "9");

    [Test]
    public void The_checkout_lists_every_pinned_thing_and_no_two_places_disagree()
    {
        var pins = PinScanner.Scan(RepoRoot.Path);
        var nugets = XDocument.Load(Path.Combine(RepoRoot.Path, "Directory.Packages.props"))
            .Descendants("PackageVersion").Select(e => PinScanner.NuGet((string)e.Attribute("Include")!)).ToList();
        string[] expected =
        [
            .. PinScanner.Providers.Select(PinScanner.Provider), .. nugets, PinScanner.PulumiDotnet, PinScanner.PulumiNode,
            PinScanner.Netbird, PinScanner.Dashboard, PinScanner.CaddyStock, PinScanner.CaddyBuild, PinScanner.CaddyGandi, PinScanner.DotnetSdk,
        ];
        Assert.Multiple(() =>
        {
            Assert.That(PinScanner.Disagreements(pins).Select(d => d.ToString()), Is.Empty);
            foreach (var thing in expected)
            {
                Assert.That(pins.Where(p => p.Thing == thing && p.Source), Is.Not.Empty, $"{thing}: no 'pinned here' place found");
            }

            // The copies the scan must see, or it is reading nothing: README install lines, package.json, the lockfile.
            Assert.That(pins.Where(p => p.Thing == PinScanner.Provider("hcloud")).Select(p => p.File),
                Does.Contain("README.md").And.Contain("tests/conformance-js/package.json").And.Contain("tests/conformance-js/package-lock.json"));
            Assert.That(pins.Where(p => p.Thing == PinScanner.Netbird).Select(p => p.File),
                Does.Contain("rehearsal/doubles/NetbirdServerDouble/DoubleHost.cs").And.Contain("rehearsal/doubles/netbird-client/netbird"));
        });
    }

    [Test]
    public void The_pinned_versions_are_the_ones_the_code_uses()
    {
        var pins = PinScanner.Scan(RepoRoot.Path);
        string Version(string thing) => pins.First(p => p.Thing == thing && p.Source).Version;
        Assert.Multiple(() =>
        {
            foreach (var package in PackageVersions.All)
            {
                Assert.That(Version(PinScanner.Provider(package.Name)), Is.EqualTo(package.Version), package.Name);
            }

            Assert.That(Version(PinScanner.PulumiDotnet), Is.EqualTo(PackageVersions.PulumiSdk));
            Assert.That(Version(PinScanner.Netbird), Is.EqualTo(NetbirdConfig.Version));
            Assert.That("netbirdio/dashboard:" + Version(PinScanner.Dashboard), Is.EqualTo(NetbirdConfig.DashboardImage));
            Assert.That("caddy:" + Version(PinScanner.CaddyStock), Is.EqualTo(CaddyConfig.StockImage));
            Assert.That(Version(PinScanner.CaddyBuild), Is.EqualTo(CaddyConfig.GandiBuildVersion));
        });
    }

    [Test]
    public void A_plugin_version_written_twice_with_different_versions_fails_naming_both_places()
    {
        var root = Checkout(
            ("sdk/Boma.Pulumi.Providers/Core/PackageVersions.cs", "public static PluginPackage HCloud { get; } = new(\"hcloud\", \"1.41.0\", null);\n"),
            ("README.md", "intro\n\n" + "pulumi plugin install resource hcloud " + Bad + "\n"));
        try
        {
            var (exit, stdout, stderr) = Run(root);
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(1));
                Assert.That(stderr, Does.Contain("hcloud provider").And.Contain("1.41.0 at sdk/Boma.Pulumi.Providers/Core/PackageVersions.cs:1")
                    .And.Contain($"{Bad} at README.md:3").And.Contain("docs/pins.md"));
                Assert.That(stdout, Does.Contain("| pinned here |").And.Contain("| copy |"));
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void A_caddy_image_matching_neither_caddy_pin_fails()
    {
        var root = Checkout(
            ("config/CaddyConfig.cs", "public const string StockImage = \"caddy:2.10.2\";\npublic const string GandiBuildVersion = \"2.9.1\";\n"),
            ("docs/netbird.md", "runs `caddy:2.10.2` or the DNS-01 build on `caddy:2.9.1`; stale: `caddy:" + Bad + "`\n"));
        try
        {
            var (exit, _, stderr) = Run(root);
            Assert.Multiple(() =>
            {
                Assert.That(exit, Is.EqualTo(1));
                Assert.That(stderr, Does.Contain(PinScanner.Unresolved).And.Contain($"{Bad} at docs/netbird.md:1"));
                Assert.That(stderr, Does.Not.Contain(PinScanner.CaddyStock + ":"), "the stock image's places agree");
            });
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void A_nuget_package_with_its_own_version_in_a_project_file_must_match_the_central_one()
    {
        var root = Checkout(
            ("Directory.Packages.props", "<Project><ItemGroup>\n<PackageVersion Include=\"NUnit\" Version=\"4.4.0\" />\n</ItemGroup></Project>\n"),
            ("tests/X/X.csproj", "<Project><ItemGroup>\n<PackageReference Include=\"NUnit\" Version=\"" + Bad + "\" />\n</ItemGroup></Project>\n"));
        try
        {
            var (exit, _, stderr) = Run(root);
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(stderr, Does.Contain("NuGet NUnit: 4.4.0 at Directory.Packages.props:2").And.Contain($"{Bad} at tests/X/X.csproj:2"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Run(string root)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = PinReport.Run(root, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Checkout(params (string Path, string Text)[] files)
    {
        var root = Directory.CreateTempSubdirectory("boma-pins-").FullName;
        File.WriteAllText(Path.Combine(root, "Boma.Infra.sln"), "");
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return root;
    }
}

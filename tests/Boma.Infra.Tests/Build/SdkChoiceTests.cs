using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Boma.Infra.Tests.Docs;
using Boma.Pulumi.Providers;
using NUnit.Framework;

namespace Boma.Infra.Tests.Build;

/// <summary>
/// README "Choosing the SDK": one build property chooses the SDK. MSBuild evaluates the project as each build
/// would (no restore, so the official packages need not be served here) and the engine path's sources are read.
/// </summary>
[TestFixture]
public sealed partial class SdkChoiceTests
{
    private static readonly string[] EnginePath = ["Program.cs", "components", "config", "hosts", "stacks", "cli/Entry.cs"];

    private static readonly string[] BomaOnly =
        ["cli/OfflineVerbs.cs", "cli/PlanCommand.cs", "cli/GuardCommand.cs", "cli/RunbookCommand.cs", "policy/ResourceView.cs", "stacks/ClusterPlanMocks.cs", "stacks/StackCatalogue.Plan.cs"];

    [Test]
    public async Task The_official_build_takes_its_package_versions_from_PackageVersions_cs()
    {
        var items = (await EvaluateAsync("official")).AsObject();
        var versions = items["PackageVersion"]!.AsArray().ToDictionary(i => (string)i!["Identity"]!, i => (string?)i!["Version"]);
        var references = items["PackageReference"]!.AsArray().Select(i => (string)i!["Identity"]!).ToList();
        var expected = new Dictionary<string, string>
        {
            ["Pulumi"] = PackageVersions.PulumiSdk,
            ["Pulumi.HCloud"] = PackageVersions.HCloud.Version,
            ["Pulumi.Command"] = PackageVersions.Command.Version,
            ["Pulumi.Random"] = PackageVersions.Random.Version,
            ["Pulumi.Gandi"] = PackageVersions.Gandi.Version,
            ["Pulumi.ProxmoxVE"] = PackageVersions.ProxmoxVE.Version,
        };
        Assert.Multiple(() =>
        {
            foreach (var (package, version) in expected)
            {
                Assert.That(versions.GetValueOrDefault(package), Is.EqualTo(version), package);
                Assert.That(references, Does.Contain(package));
            }

            Assert.That(items["ProjectReference"]?.AsArray() ?? [], Is.Empty, "no Boma.Pulumi project in the official build");
        });
    }

    [Test]
    public async Task The_offline_verbs_and_their_mocks_are_only_in_the_default_build()
    {
        var official = Compiled(await EvaluateAsync("official"));
        var boma = Compiled(await EvaluateAsync(null));
        Assert.Multiple(() =>
        {
            foreach (var file in BomaOnly)
            {
                Assert.That(boma, Does.Contain(file));
                Assert.That(official, Does.Not.Contain(file));
            }

            Assert.That(official, Does.Contain("cli/OfflineVerbs.Official.cs"));
            Assert.That(boma, Does.Not.Contain("cli/OfflineVerbs.Official.cs"));
            // Everything else is the same source in both builds.
            Assert.That(official.Where(f => f != "cli/OfflineVerbs.Official.cs"), Is.SubsetOf(boma));
            foreach (var file in official.Where(f => EnginePath.Any(p => f == p || f.StartsWith(p + "/", StringComparison.Ordinal))))
            {
                Assert.That(boma, Does.Contain(file));
            }
        });
    }

    [Test]
    public void The_engine_path_names_no_Boma_namespace_and_has_no_conditional_code()
    {
        var offenders = new List<string>();
        foreach (var path in EnginePath.SelectMany(SourceFiles))
        {
            var relative = Path.GetRelativePath(RepoRoot.Path, path).Replace('\\', '/');
            if (relative is "stacks/ClusterPlanMocks.cs" or "stacks/StackCatalogue.Plan.cs")
            {
                continue; // default build only (see the csproj)
            }

            var text = File.ReadAllText(path);
            if (BomaSdkName().IsMatch(text) || text.Contains("#if", StringComparison.Ordinal))
            {
                offenders.Add(relative);
            }
        }

        Assert.That(offenders, Is.Empty, "write `using Pulumi…;` inside the namespace (README, Choosing the SDK), no #if");
    }

    [Test]
    public async Task An_unknown_sdk_is_refused_with_the_choices()
    {
        var (exit, output) = await MsBuildAsync("-p:PulumiSdk=nuget", "-t:CheckPulumiSdk");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Not.Zero);
            Assert.That(output, Does.Contain("PulumiSdk='nuget' is not known: use -p:PulumiSdk=boma (the default) or -p:PulumiSdk=official."));
        });
    }

    private static IEnumerable<string> SourceFiles(string entry)
    {
        var full = Path.Combine(RepoRoot.Path, entry);
        return File.Exists(full) ? [full] : Directory.EnumerateFiles(full, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
    }

    private static List<string> Compiled(JsonNode items) =>
        [.. items["Compile"]!.AsArray().Select(i => ((string)i!["Identity"]!).Replace('\\', '/'))];

    private static async Task<JsonNode> EvaluateAsync(string? sdk)
    {
        var args = new List<string> { "-getItem:PackageVersion", "-getItem:PackageReference", "-getItem:ProjectReference", "-getItem:Compile" };
        if (sdk is not null)
        {
            args.Add($"-p:PulumiSdk={sdk}");
        }

        var (exit, output) = await MsBuildAsync([.. args]);
        Assert.That(exit, Is.Zero, output);
        return JsonNode.Parse(output)!["Items"]!;
    }

    private static async Task<(int Exit, string Output)> MsBuildAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["msbuild", "Boma.Infra.csproj", "-nologo", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\bBoma\.Pulumi\b")]
    private static partial Regex BomaSdkName();
}

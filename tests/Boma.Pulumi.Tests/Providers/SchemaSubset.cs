using NUnit.Framework;
using System.Text.Json.Nodes;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>One property of the committed schema subset (tools/schema-subset/subset.mjs).</summary>
internal sealed record SchemaProperty(string Name, string Type, bool Required, bool Secret, bool ReplaceOnChanges, JsonNode? Default);

/// <summary>A resource's (or the provider's) inputs and outputs.</summary>
internal sealed record SchemaResource(string Token, IReadOnlyDictionary<string, SchemaProperty> Inputs, IReadOnlyDictionary<string, SchemaProperty> Outputs);

/// <summary>A package's subset: resources, provider, object types and enums, read from tests/Boma.Pulumi.Tests/Providers/schemas.</summary>
internal sealed class SchemaSubset
{
    private static readonly Dictionary<string, SchemaSubset> Cache = [];
    private static readonly Lock CacheLock = new();

    private SchemaSubset(JsonObject root)
    {
        Package = root["package"]!.GetValue<string>();
        Version = root["version"]!.GetValue<string>();
        Provider = ReadResource($"pulumi:providers:{Package}", root["provider"]!.AsObject());
        Resources = root["resources"]!.AsObject().ToDictionary(r => r.Key, r => ReadResource(r.Key, r.Value!.AsObject()));
        foreach (var (token, node) in root["types"]!.AsObject())
        {
            var type = node!.AsObject();
            if (type["enum"] is not null)
            {
                Enums[token] = type["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
            }
            else
            {
                Types[token] = ReadProperties(type["properties"]!.AsObject());
            }
        }
    }

    public string Package { get; }

    public string Version { get; }

    public SchemaResource Provider { get; }

    public IReadOnlyDictionary<string, SchemaResource> Resources { get; }

    public Dictionary<string, IReadOnlyDictionary<string, SchemaProperty>> Types { get; } = [];

    public Dictionary<string, string[]> Enums { get; } = [];

    public static string Directory => Path.Combine(RepoRoot(), "tests", "Boma.Pulumi.Tests", "Providers", "schemas");

    /// <summary>The subset for a package (one file per package in the schemas folder).</summary>
    public static SchemaSubset For(string package)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(package, out var subset))
            {
                var files = System.IO.Directory.GetFiles(Directory, $"{package}-*.json");
                Assert.That(files, Has.Length.EqualTo(1), $"expected exactly one schema subset for {package} in {Directory}");
                subset = new SchemaSubset(JsonNode.Parse(File.ReadAllText(files[0]))!.AsObject());
                Cache[package] = subset;
            }

            return subset;
        }
    }

    private static SchemaResource ReadResource(string token, JsonObject node) =>
        new(token, ReadProperties(node["inputs"]!.AsObject()), ReadProperties(node["outputs"]!.AsObject()));

    private static Dictionary<string, SchemaProperty> ReadProperties(JsonObject node) =>
        node.ToDictionary(
            p => p.Key,
            p => new SchemaProperty(
                p.Key,
                p.Value!["type"]!.GetValue<string>(),
                p.Value["required"]?.GetValue<bool>() ?? false,
                p.Value["secret"]?.GetValue<bool>() ?? false,
                p.Value["replaceOnChanges"]?.GetValue<bool>() ?? false,
                p.Value["default"]?.DeepClone()));

    // Tests run from bin/…; the schemas are read from the source tree so no project change is needed.
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Boma.Infra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Boma.Infra.sln not found above the test directory");
    }
}

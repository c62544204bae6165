using NUnit.Framework;
using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Boma.Infra.Tests.Cluster;

/// <summary>
/// Reads the repository's <c>Pulumi.cluster.yaml</c> into the flat form the engine hands a program in
/// <c>PULUMI_CONFIG</c>: <c>boma:key</c> → a string for scalars, JSON text for mappings and lists.
/// </summary>
internal static class ClusterStackConfigFile
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Boma.Infra.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("Boma.Infra.sln not found above the test directory");
        }
    }

    public static Dictionary<string, string> Load()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepositoryRoot, "Pulumi.cluster.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var config = (YamlMappingNode)root.Children[new YamlScalarNode("config")];
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in config.Children)
        {
            flat[((YamlScalarNode)key).Value!] = value is YamlScalarNode scalar ? scalar.Value ?? "" : ToJson(value)!.ToJsonString();
        }

        return flat;
    }

    /// <summary>The example file plus a secret API token, as <c>pulumi config set --secret</c> would add it.</summary>
    public static (Dictionary<string, string> Config, HashSet<string> SecretKeys) LoadWithSecrets()
    {
        var config = Load();
        config["boma:proxmoxApiToken"] = "boma@pve!pulumi=00000000-1111-2222-3333-444444444444";
        return (config, ["boma:proxmoxApiToken"]);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };

    // Plain scalars keep YAML's types, as Pulumi's config does; quoted ones stay strings.
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return JsonValue.Create(n);
            }

            if (text is "true" or "false")
            {
                return JsonValue.Create(text == "true");
            }

            if (text is "null" or "~" or "")
            {
                return null;
            }
        }

        return JsonValue.Create(text);
    }
}

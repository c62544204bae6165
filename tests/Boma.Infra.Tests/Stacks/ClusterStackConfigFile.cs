using NUnit.Framework;
using System.Globalization;
using System.Text.Json.Nodes;
using Boma.Infra.Tests.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Components;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

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

    /// <summary>The secret keys <see cref="LoadWithSecrets"/> adds.</summary>
    public static HashSet<string> SecretKeys => ["boma:proxmoxApiToken", "boma:sshPrivateKey"];

    /// <summary>Stand-in secret values; a test that finds one of them in an output or a log has found a leak.</summary>
    public const string ApiToken = "boma@pve!pulumi=00000000-1111-2222-3333-444444444444";

    public const string SshPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nTESTONLYPRIVATEKEYMATERIAL\n-----END OPENSSH PRIVATE KEY-----\n";

    /// <summary>The example file plus the secrets, as <c>pulumi config set --secret</c> would add them.</summary>
    public static (Dictionary<string, string> Config, HashSet<string> SecretKeys) LoadWithSecrets()
    {
        var config = Load();
        config["boma:proxmoxApiToken"] = ApiToken;
        config["boma:sshPrivateKey"] = SshPrivateKey;
        return (config, SecretKeys);
    }

    /// <summary>A config source over the flat form (keys with the <c>boma:</c> prefix, as in the stack file).</summary>
    public static DictionaryConfigSource Source(Dictionary<string, string> config, ISet<string> secretKeys) => new(
        config.Where(kv => kv.Key.StartsWith("boma:", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["boma:".Length..], kv => kv.Value),
        [.. secretKeys.Select(k => k["boma:".Length..])]);

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

using System.Text.Json;
using System.Text.Json.Nodes;
using Boma.Infra.Policy.Rules;

namespace Boma.Infra.Policy;

/// <summary>
/// The invariant rule file (policy/rules.json) turned into rule objects. The file holds data only; each rule's
/// "kind" names an implementation below, and its "parameters" configure it.
/// </summary>
public sealed class RuleSet
{
    /// <summary>Where the rule file sits next to the built program (the project copies policy/**/*.json to the output).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "policy", "rules.json");

    private static readonly Dictionary<string, Func<RuleDefinition, IResourceRule>> ResourceKinds = new(StringComparer.Ordinal)
    {
        ["firewall-world-ssh"] = d => new FirewallWorldSshRule(d),
        ["non-empty-list-input"] = d => new NonEmptyListInputRule(d),
        ["required-ignore-changes"] = d => new RequiredIgnoreChangesRule(d),
        ["secret-command-logging"] = d => new SecretCommandLoggingRule(d),
        ["parent-required"] = d => new ParentRequiredRule(d),
        ["protected-types"] = d => new ProtectedTypesRule(d),
        ["number-at-least"] = d => new NumberAtLeastRule(d),
    };

    private static readonly Dictionary<string, Func<RuleDefinition, IChangeRule>> ChangeKinds = new(StringComparer.Ordinal)
    {
        ["protected-replace-or-delete"] = d => new ProtectedReplaceOrDeleteRule(d),
    };

    private RuleSet(IReadOnlyList<IResourceRule> resourceRules, IReadOnlyList<IChangeRule> changeRules)
    {
        ResourceRules = resourceRules;
        ChangeRules = changeRules;
    }

    public IReadOnlyList<IResourceRule> ResourceRules { get; }

    public IReadOnlyList<IChangeRule> ChangeRules { get; }

    public IEnumerable<RuleDefinition> Definitions =>
        ResourceRules.Select(r => r.Definition).Concat(ChangeRules.Select(r => r.Definition));

    /// <summary>The rule file shipped with the program.</summary>
    public static RuleSet LoadDefault() => Load(DefaultPath);

    public static RuleSet Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new PolicyFileException($"{path}: the rule file is not UTF-8 text", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException($"{path}: cannot read the rule file: {e.Message}", e);
        }

        return Parse(text, path);
    }

    public static RuleSet Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false, MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw new PolicyFileException($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}{(e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? " (a key appears twice)" : "")}", e);
        }

        if (root is not JsonObject doc || doc["rules"] is not JsonArray rules)
        {
            throw new PolicyFileException($"{source}: expected an object with a \"rules\" list");
        }

        if (doc.Select(p => p.Key).FirstOrDefault(k => k is not ("$comment" or "version" or "rules")) is { } extra)
        {
            throw new PolicyFileException($"{source}: unknown key \"{Boma.Infra.Config.Addresses.Show(extra)}\" (a rule file has \"$comment\", \"version\" and \"rules\")");
        }

        if (doc.ContainsKey("version") && (doc["version"] is not JsonValue version || !version.TryGetValue(out int v) || v != 1))
        {
            throw new PolicyFileException($"{source}: \"version\" must be 1 (the only rule-file version this program reads)");
        }

        var resourceRules = new List<IResourceRule>();
        var changeRules = new List<IChangeRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var definition = ReadDefinition(rules[i], $"{source}: rules[{i}]");
            if (!ids.Add(definition.Id))
            {
                throw new PolicyFileException($"{source}: rule id '{definition.Id}' appears twice");
            }

            try
            {
                if (ResourceKinds.TryGetValue(definition.Kind, out var makeResourceRule))
                {
                    resourceRules.Add(makeResourceRule(definition));
                }
                else if (ChangeKinds.TryGetValue(definition.Kind, out var makeChangeRule))
                {
                    changeRules.Add(makeChangeRule(definition));
                }

                if (ResourceKinds.ContainsKey(definition.Kind) || ChangeKinds.ContainsKey(definition.Kind))
                {
                    if (definition.Parameters.Unread.FirstOrDefault() is { } unread)
                    {
                        throw new PolicyFileException($"rule '{definition.Id}': unknown parameter '{Boma.Infra.Config.Addresses.Show(unread)}' for kind '{definition.Kind}'");
                    }
                }
                else
                {
                    throw new PolicyFileException(
                        $"rule '{definition.Id}': unknown kind '{definition.Kind}' (known: {string.Join(", ", ResourceKinds.Keys.Concat(ChangeKinds.Keys))})");
                }
            }
            catch (PolicyFileException e)
            {
                throw new PolicyFileException($"{source}: {e.Message}", e);
            }
        }

        return new RuleSet(resourceRules, changeRules);
    }

    private static RuleDefinition ReadDefinition(JsonNode? node, string where)
    {
        if (node is not JsonObject rule)
        {
            throw new PolicyFileException($"{where}: expected an object");
        }

        if (rule.Select(p => p.Key).FirstOrDefault(k => k is not ("id" or "kind" or "enforcedBy" or "description" or "parameters" or "$comment")) is { } extra)
        {
            throw new PolicyFileException($"{where}: unknown key \"{Boma.Infra.Config.Addresses.Show(extra)}\" (a rule has id, kind, enforcedBy, description, parameters)");
        }

        string Text(string key) => rule[key] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0
            ? s
            : throw new PolicyFileException($"{where}: \"{key}\" must be a non-empty string");

        var id = Text("id");
        var points = new HashSet<EnforcementPoint>();
        if (rule["enforcedBy"] is not JsonArray enforcedBy)
        {
            throw new PolicyFileException($"{where} ('{id}'): \"enforcedBy\" must be a list of \"unit-tests\"/\"guard\"");
        }

        foreach (var point in enforcedBy)
        {
            points.Add(point?.ToString() switch
            {
                "unit-tests" => EnforcementPoint.UnitTests,
                "guard" => EnforcementPoint.Guard,
                var other => throw new PolicyFileException($"{where} ('{id}'): unknown enforcement point '{other}' (use \"unit-tests\" or \"guard\")"),
            });
        }

        var parameters = rule["parameters"] switch
        {
            null => [],
            JsonObject o => o,
            _ => throw new PolicyFileException($"{where} ('{id}'): \"parameters\" must be an object"),
        };
        return new RuleDefinition(id, Text("kind"), Text("description"), points, new RuleParameters(id, parameters));
    }
}

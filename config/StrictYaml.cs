using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Boma.Infra.Config;

/// <summary>
/// Reads a stack or project YAML file into JSON nodes from the parser's events, never through YamlDotNet's
/// representation model: that model expands aliases (a few KB of nested anchors become gigabytes) and recurses
/// on them. Here anchors, aliases and tags are refused outright, and size, depth and node count are bounded,
/// so hostile input ends in one <see cref="InvalidDataException"/> line.
/// </summary>
internal static class StrictYaml
{
    public const int MaxBytes = 1 << 20;
    public const int MaxDepth = 32;
    public const int MaxNodes = 100_000;

    /// <summary>Parses one YAML document; null when the file holds no document.</summary>
    public static JsonNode? Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw Bad(source, null, $"is larger than {MaxBytes / 1024} KiB; a stack config is a few KB");
        }

        try
        {
            var parser = new Parser(new StringReader(text));
            var stack = new Stack<(JsonNode Node, string? PendingKey, Mark Start)>();
            JsonNode? root = null;
            var documents = 0;
            var nodes = 0;
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                if (current is NodeEvent node)
                {
                    if (!node.Anchor.IsEmpty)
                    {
                        throw Bad(source, current.Start, $"uses the anchor '&{node.Anchor}'; anchors and aliases are not allowed in stack config, write values out");
                    }

                    if (!node.Tag.IsEmpty && !IsPlainTag(node.Tag.Value))
                    {
                        throw Bad(source, current.Start, $"uses the tag '{node.Tag.Value}'; tags are not allowed in stack config");
                    }

                    if (++nodes > MaxNodes)
                    {
                        throw Bad(source, current.Start, $"has more than {MaxNodes} values");
                    }
                }

                switch (current)
                {
                    case AnchorAlias alias:
                        throw Bad(source, current.Start, $"uses the alias '*{alias.Value}'; anchors and aliases are not allowed in stack config, write values out");
                    case DocumentStart when ++documents > 1:
                        throw Bad(source, current.Start, "holds more than one YAML document ('---'); a stack file is one mapping");
                    case MappingStart or SequenceStart:
                        if (stack.Count >= MaxDepth)
                        {
                            throw Bad(source, current.Start, $"is nested more than {MaxDepth} levels deep");
                        }

                        if (stack.TryPeek(out var top) && top.Node is JsonObject && top.PendingKey is null)
                        {
                            throw Bad(source, current.Start, "has a mapping key that is a list or mapping; keys must be plain text");
                        }

                        stack.Push((current is MappingStart ? new JsonObject() : new JsonArray(), null, current.Start));
                        break;
                    case MappingEnd or SequenceEnd:
                        var done = stack.Pop();
                        Attach(ref root, stack, done.Node);
                        break;
                    case Scalar scalar:
                        if (stack.TryPeek(out var parent) && parent.Node is JsonObject map && parent.PendingKey is null)
                        {
                            var key = scalar.Value.Trim();
                            if (key.Length == 0)
                            {
                                throw Bad(source, current.Start, "has an empty mapping key");
                            }

                            if (map.ContainsKey(key))
                            {
                                throw Bad(source, current.Start, $"has the key '{Addresses.Show(key)}' twice; keep one");
                            }

                            stack.Pop();
                            stack.Push((map, key, parent.Start));
                            break;
                        }

                        Attach(ref root, stack, Value(scalar));
                        break;
                }
            }

            return root;
        }
        catch (YamlException e)
        {
            throw Bad(source, e.Start, $"is not valid YAML: {OneLine(e.Message)}");
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some unterminated flow collections instead of a YamlException.
            throw Bad(source, null, $"is not valid YAML (an unterminated list, mapping or quote?): {OneLine(e.Message)}");
        }
    }

    // Pulumi's Go YAML reader gives plain true/false and integers their type; everything else is text, trimmed.
    private static JsonValue? Value(Scalar scalar)
    {
        var text = scalar.Value.Trim();
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (text is "" or "~" or "null")
            {
                return null;
            }

            if (text is "true" or "false")
            {
                return JsonValue.Create(text == "true");
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                return JsonValue.Create(n);
            }
        }

        return JsonValue.Create(text);
    }

    private static void Attach(ref JsonNode? root, Stack<(JsonNode Node, string? PendingKey, Mark Start)> stack, JsonNode? value)
    {
        if (stack.Count == 0)
        {
            root = value;
            return;
        }

        var (parent, key, start) = stack.Pop();
        if (parent is JsonArray array)
        {
            array.Add(value);
            stack.Push((parent, null, start));
        }
        else
        {
            ((JsonObject)parent)[key!] = value;
            stack.Push((parent, null, start));
        }
    }

    private static bool IsPlainTag(string tag) => tag is "tag:yaml.org,2002:str" or "!";

    private static string OneLine(string message) => message.Replace('\r', ' ').Replace('\n', ' ').Trim();

    private static InvalidDataException Bad(string source, Mark? at, string problem) =>
        new(at is { } m && m.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{source} (line {m.Line}, column {m.Column}): {problem}")
            : $"{source}: {problem}");
}

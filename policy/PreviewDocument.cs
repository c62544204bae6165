using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boma.Infra.Policy;

/// <summary>
/// Adapter from a `pulumi preview --json` document (or the offline plan's JSON, which has the same shape) to
/// the neutral model. The shape, verified against pulumi/pulumi and written down in docs/guard.md:
/// { "config": {..}, "steps": [ { "op", "urn", "provider", "oldState", "newState", "diffReasons",
/// "replaceReasons", "detailedDiff" } ], "diagnostics": [..], "duration", "changeSummary": { op: count },
/// "maybeCorrupt" }, where each state is an apitype.ResourceV3 (urn, custom, type, inputs, outputs, parent,
/// protect, dependencies, additionalSecretOutputs, retainOnDelete, ignoreChanges, replaceOnChanges, …).
/// </summary>
public sealed class PreviewDocument
{
    private PreviewDocument(IReadOnlyList<PlannedChange> changes, IReadOnlyDictionary<string, int>? changeSummary)
    {
        Changes = changes;
        ChangeSummary = changeSummary;
    }

    public IReadOnlyList<PlannedChange> Changes { get; }

    /// <summary>The engine's count per operation, when the document has one.</summary>
    public IReadOnlyDictionary<string, int>? ChangeSummary { get; }

    /// <summary>The stack named in the first URN, if any.</summary>
    public string? StackName => Changes.Select(c => ResourceView.StackFromUrn(c.Urn)).FirstOrDefault(s => s is not null);

    /// <summary>How many resources of an operation the preview reports: the engine's summary, else a count of steps.</summary>
    public int Count(string op) =>
        ChangeSummary is not null
            ? ChangeSummary.GetValueOrDefault(op)
            : Changes.Count(c => c.Op == op);

    /// <summary>True when the engine counted unchanged resources the document does not list (preview without --show-sames).</summary>
    public bool OmitsUnchanged =>
        ChangeSummary is not null && ChangeSummary.GetValueOrDefault("same") > 0 && !Changes.Any(c => c.Op == "same");

    public static PreviewDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new PreviewFormatException("the document is empty (did `pulumi preview --json` fail before printing?)");
        }

        JsonNode? root;
        try
        {
            // Duplicate keys are refused while parsing: two "op"s in one step could each mean something else.
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new PreviewFormatException(string.Create(CultureInfo.InvariantCulture,
                $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}"), e);
        }

        if (root is not JsonObject doc)
        {
            throw new PreviewFormatException("expected a JSON object with \"steps\" (the output of `pulumi preview --json`)");
        }

        // A preview document has these keys only; anything else (a `stack export` has "version" and
        // "deployment") is the wrong kind of document, and judging it would pass it with no steps.
        var unknown = doc.Select(p => p.Key).Where(k => !TopLevelKeys.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new PreviewFormatException(
                $"not a preview document: unexpected key \"{Show(unknown[0])}\"{(doc.ContainsKey("deployment") ? " (this looks like `pulumi stack export`)" : "")}; give the output of `pulumi preview --json` or `boma plan --json`");
        }

        if (!doc.ContainsKey("steps") && !doc.ContainsKey("changeSummary"))
        {
            throw new PreviewFormatException("not a preview document: it has neither \"steps\" nor \"changeSummary\"; give the output of `pulumi preview --json`");
        }

        var changes = new List<PlannedChange>();
        switch (doc["steps"])
        {
            case null:
                break; // the CLI omits an empty step list
            case JsonArray steps:
                for (var i = 0; i < steps.Count; i++)
                {
                    changes.Add(ReadStep(steps[i], string.Create(CultureInfo.InvariantCulture, $"steps[{i}]")));
                }

                break;
            default:
                throw new PreviewFormatException("\"steps\" must be a list");
        }

        return new PreviewDocument(changes, ReadSummary(doc["changeSummary"]));
    }

    /// <summary>The top-level keys of `pulumi preview --json` (display.previewDigest) and of `boma plan --json`.</summary>
    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal)
    {
        "config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt", "outputs", "offlinePlaceholders",
    };

    /// <summary>The step operations the engine emits (pkg/display, deploy.StepOp); any other op is refused.</summary>
    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(StringComparer.Ordinal)
    {
        "same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "read-replacement",
        "refresh", "discard", "discard-replaced", "remove-pending-replace", "import", "import-replacement",
    };

    private static string Show(string text) => Boma.Infra.Config.Addresses.Show(text);

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends " Path: $ | LineNumber: …"; the position is already in our own words.
        var cuts = new[] { message.IndexOf(" Path:", StringComparison.Ordinal), message.IndexOf(" LineNumber:", StringComparison.Ordinal) }
            .Where(i => i > 0)
            .ToList();
        var text = cuts.Count > 0 ? message[..cuts.Min()] : message;
        return text.Replace('\n', ' ').Replace('\r', ' ').Trim();
    }

    private static Dictionary<string, int>? ReadSummary(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject summary)
        {
            throw new PreviewFormatException("\"changeSummary\" must be an object of operation counts");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (op, count) in summary)
        {
            if (!Operations.Contains(op))
            {
                throw new PreviewFormatException($"changeSummary has the unknown operation \"{Show(op)}\"");
            }

            result[op] = count is JsonValue v && v.TryGetValue(out int n) && n >= 0
                ? n
                : throw new PreviewFormatException($"changeSummary.{op} must be a whole number");
        }

        return result;
    }

    private static PlannedChange ReadStep(JsonNode? node, string where)
    {
        if (node is not JsonObject step)
        {
            throw new PreviewFormatException($"{where} must be an object");
        }

        var op = RequiredString(step, "op", where);
        if (!Operations.Contains(op))
        {
            throw new PreviewFormatException($"{where}.op \"{Show(op)}\" is not an operation the engine emits (one of {string.Join(", ", Operations)})");
        }

        var urn = RequiredString(step, "urn", where);
        var old = ReadState(step["oldState"], op, urn, $"{where}.oldState");
        var @new = ReadState(step["newState"], op, urn, $"{where}.newState");
        return new PlannedChange(op, urn, old, @new) { ReplaceReasons = Strings(step, "replaceReasons", where) };
    }

    private static ResourceView? ReadState(JsonNode? node, string op, string stepUrn, string where)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject state)
        {
            throw new PreviewFormatException($"{where} must be an object");
        }

        var urn = OptionalString(state, "urn", where) ?? stepUrn;
        var inputs = state["inputs"] switch
        {
            null => [],
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new PreviewFormatException($"{where}.inputs must be an object"),
        };
        return new ResourceView
        {
            Urn = urn,
            Type = OptionalString(state, "type", where) ?? ResourceView.TypeFromUrn(urn),
            Name = ResourceView.NameFromUrn(urn),
            Parent = OptionalString(state, "parent", where),
            Custom = Bool(state, "custom", where),
            Protect = Bool(state, "protect", where),
            RetainOnDelete = Bool(state, "retainOnDelete", where),
            Inputs = inputs,
            IgnoreChanges = Strings(state, "ignoreChanges", where),
            ReplaceOnChanges = Strings(state, "replaceOnChanges", where),
            AdditionalSecretOutputs = Strings(state, "additionalSecretOutputs", where),
            Dependencies = Strings(state, "dependencies", where),
            Op = op,
        };
    }

    private static string RequiredString(JsonObject o, string key, string where) =>
        OptionalString(o, key, where) ?? throw new PreviewFormatException($"{where} has no \"{key}\"");

    private static string? OptionalString(JsonObject o, string key, string where) => o[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new PreviewFormatException($"{where}.{key} must be a string"),
    };

    private static bool Bool(JsonObject o, string key, string where) => o[key] switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw new PreviewFormatException($"{where}.{key} must be true or false"),
    };

    private static List<string> Strings(JsonObject o, string key, string where) => o[key] switch
    {
        null => [],
        JsonArray a when a.All(e => e is JsonValue v && v.TryGetValue(out string? _)) => a.Select(e => e!.GetValue<string>()).ToList(),
        _ => throw new PreviewFormatException($"{where}.{key} must be a list of strings"),
    };
}

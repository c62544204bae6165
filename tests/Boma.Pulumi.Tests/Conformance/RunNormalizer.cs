using System.Globalization;
using System.Text.Json.Nodes;
using Boma.Pulumi.LoopbackEngine;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>
/// Turns one run's recorded calls into an order-independent JSON document with SDK noise removed;
/// two SDKs conform when their documents are equal. Every rule here is listed, with its reason, in
/// docs/conformance.md ("Normalisation").
/// </summary>
internal static class RunNormalizer
{
    /// <summary>RegisterResource fields that only locate the SDK's own source code (names and field numbers,
    /// the latter for when our protos do not declare them and they arrive as unknown fields).</summary>
    private static readonly string[] SourceLocationFields = ["sourcePosition", "stackTrace", "parentStackTraceHandle"];

    private static readonly string[] RegisterSourceLocationNumbers = ["29", "35", "36"];

    private static readonly string[] ReadSourceLocationNumbers = ["14", "17", "18"];

    public static JsonObject Normalize(IReadOnlyList<RecordedCall> calls)
    {
        var unimplemented = new SortedSet<string>(StringComparer.Ordinal);
        var registrations = new JsonObject();
        var reads = new JsonObject();
        var outputs = new JsonObject();
        var roots = new JsonArray();
        var logs = new List<string>();
        var others = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var shutdowns = 0;

        foreach (var call in calls)
        {
            var request = call.RequestJson is null ? null : JsonNode.Parse(call.RequestJson)!.AsObject();
            if (!call.Implemented)
            {
                // GetDeploymentInfo is the newer negotiation; the fake plays an engine without it, both SDKs then
                // fall back to SupportsFeature, so whether an SDK tries it first changes nothing (docs).
                if (call.Method != "GetDeploymentInfo")
                {
                    unimplemented.Add(call.Rpc);
                }

                continue;
            }

            switch (call.Method)
            {
                case "SupportsFeature":
                    // Which features an SDK asks is its own business (Node: eleven up front; the official .NET SDK:
                    // lazily, what a request needs); that it asked before relying on one is an ordering fact (below).
                    break;
                case "RegisterResource":
                    AddUnique(registrations, call.Urn!, NormalizeRegistration(request!, RegisterSourceLocationNumbers));
                    break;
                case "ReadResource":
                    AddUnique(reads, call.Urn!, NormalizeRegistration(request!, ReadSourceLocationNumbers));
                    break;
                case "RegisterResourceOutputs":
                    var list = outputs[call.Urn!] as JsonArray ?? (JsonArray)(outputs[call.Urn!] = new JsonArray());
                    list.Add(request!["outputs"]?.DeepClone() ?? new JsonObject());
                    break;
                case "SetRootResource":
                    roots.Add((string?)request!["urn"]);
                    break;
                case "SignalAndWaitForShutdown":
                    shutdowns++;
                    break;
                case "Log":
                    // Severity 0 (DEBUG) is each SDK's own chatter; its texts are SDK-specific (docs).
                    if (request!["severity"] is not null)
                    {
                        logs.Add(request.ToJsonString());
                    }

                    break;
                default:
                    others[call.Rpc] = others.GetValueOrDefault(call.Rpc) + 1;
                    break;
            }
        }

        logs.Sort(StringComparer.Ordinal);
        return new JsonObject
        {
            ["RegisterResource"] = Sorted(registrations),
            ["ReadResource"] = Sorted(reads),
            ["RegisterResourceOutputs"] = Sorted(outputs),
            ["SetRootResource"] = roots,
            ["SignalAndWaitForShutdown"] = shutdowns,
            ["Log"] = new JsonArray([.. logs.Select(l => JsonNode.Parse(l))]),
            ["OtherRpcs"] = new JsonObject(others.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            ["Unimplemented"] = Strings(unimplemented),
            ["OrderingViolations"] = Strings(OrderingViolations(calls)),
        };
    }

    public static JsonObject NormalizeRegistration(JsonObject request, IEnumerable<string> sourceLocationNumbers)
    {
        var r = (JsonObject)request.DeepClone();
        foreach (var field in SourceLocationFields)
        {
            r.Remove(field);
        }

        if (r["_unknownFields"] is JsonObject unknown)
        {
            foreach (var number in sourceLocationNumbers)
            {
                unknown.Remove(number);
            }

            if (unknown.Count == 0)
            {
                r.Remove("_unknownFields");
            }
        }

        // An all-empty customTimeouts message means "no timeouts", the same as an absent one.
        if (r["customTimeouts"] is JsonObject timeouts)
        {
            var kept = new JsonObject();
            foreach (var (key, value) in timeouts)
            {
                var text = (string?)value;
                if (!string.IsNullOrEmpty(text))
                {
                    kept[key] = GoDurationMilliseconds(text);
                }
            }

            if (kept.Count == 0)
            {
                r.Remove("customTimeouts");
            }
            else
            {
                r["customTimeouts"] = kept;
            }
        }

        // deleteBeforeReplaceDefined=false and an empty replaceWith carry no information.
        if (r["deleteBeforeReplaceDefined"] is JsonValue dbrd && !dbrd.GetValue<bool>())
        {
            r.Remove("deleteBeforeReplaceDefined");
        }

        if (r["replaceWith"] is JsonArray { Count: 0 })
        {
            r.Remove("replaceWith");
        }

        // Node copies its asset/archive objects' own "__pulumiAsset"/"__pulumiArchive" markers (JS
        // instanceof helpers) onto the wire; the engine's asset/archive deserializers read only the
        // signature, hash, text/path/uri/assets keys, so the markers carry nothing.
        if (r["object"] is JsonObject inputs)
        {
            DropAssetMarkers(inputs);
        }

        // Dependency lists are sets to the engine; their order follows each SDK's await order.
        SortStrings(r, "dependencies");
        if (r["propertyDependencies"] is JsonObject propertyDependencies)
        {
            foreach (var (_, value) in propertyDependencies)
            {
                if (value is JsonObject entry)
                {
                    SortStrings(entry, "urns");
                }
            }
        }

        return r;
    }

    private static void DropAssetMarkers(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var sig = o["4dabf18193072939515e22adb298388d"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
                if (sig is "c44067f5952c0a294b673a41bacd8c17" or "0def7320c3a5731c473e5ecbe6d01bc7")
                {
                    o.Remove("__pulumiAsset");
                    o.Remove("__pulumiArchive");
                }

                foreach (var (_, child) in o)
                {
                    DropAssetMarkers(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    DropAssetMarkers(child);
                }

                break;
        }
    }

    /// <summary>
    /// Facts about arrival order the engine relies on; each SDK's list should be empty.
    /// </summary>
    public static IEnumerable<string> OrderingViolations(IReadOnlyList<RecordedCall> calls)
    {
        var registered = new HashSet<string>(StringComparer.Ordinal);
        var asked = new HashSet<string>(StringComparer.Ordinal);
        var firstRegistration = true;
        var shutdownSeen = false;
        foreach (var call in calls.Where(c => c.Implemented).OrderBy(c => c.Sequence))
        {
            if (shutdownSeen && call.Method != "Log")
            {
                yield return $"{call.Rpc} arrived after SignalAndWaitForShutdown";
            }

            var request = call.RequestJson is null ? null : JsonNode.Parse(call.RequestJson)!.AsObject();
            // Every one of these serializes values that may hold resources, and alias specs need the engine's support:
            // negotiate first. The stack's own registration is exempt: it has no inputs and no aliases, and the Node SDK
            // sends it before its feature answers arrive.
            var isStack = call.Method == "RegisterResource" && (string?)request?["type"] == Urns.StackType;
            if (!isStack && call.Method is "RegisterResource" or "ReadResource" or "RegisterResourceOutputs" or "Invoke"
                && !asked.Contains("resourceReferences"))
            {
                yield return $"{call.Method} for {call.Urn} arrived before SupportsFeature(resourceReferences)";
            }

            if (!isStack && call.Method == "RegisterResource" && request?["aliasSpecs"] is not null && !asked.Contains("aliasSpecs"))
            {
                yield return $"RegisterResource with aliasSpecs for {call.Urn} arrived before SupportsFeature(aliasSpecs)";
            }

            switch (call.Method)
            {
                case "SupportsFeature":
                    asked.Add((string?)request?["id"] ?? string.Empty);
                    break;
                case "RegisterResource":
                    var type = (string?)request?["type"];
                    var parent = (string?)request?["parent"] ?? string.Empty;
                    if (firstRegistration && type != Urns.StackType)
                    {
                        yield return $"the first registration is {type}, not the stack";
                    }

                    if (parent.Length > 0 && !registered.Contains(parent))
                    {
                        yield return $"{call.Urn} was registered before its parent {parent}";
                    }

                    firstRegistration = false;
                    registered.Add(call.Urn!);
                    break;
                case "ReadResource":
                    registered.Add(call.Urn!);
                    break;
                case "RegisterResourceOutputs" or "SetRootResource":
                    if (!registered.Contains(call.Urn!))
                    {
                        yield return $"{call.Method} for {call.Urn} arrived before that resource's registration";
                    }

                    break;
                case "SignalAndWaitForShutdown":
                    shutdownSeen = true;
                    break;
            }
        }
    }

    /// <summary>A Go duration (<c>1h30m</c>, <c>300s</c>, <c>1.5h</c>) as milliseconds, so equal timeouts compare equal.</summary>
    public static string GoDurationMilliseconds(string duration)
    {
        double total = 0;
        var i = 0;
        while (i < duration.Length)
        {
            var start = i;
            while (i < duration.Length && (char.IsDigit(duration[i]) || duration[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < duration.Length && !char.IsDigit(duration[i]) && duration[i] != '.')
            {
                i++;
            }

            if (start == unitStart)
            {
                return $"unparsable:{duration}";
            }

            var number = double.Parse(duration[start..unitStart], CultureInfo.InvariantCulture);
            double? scale = duration[unitStart..i] switch
            {
                "ns" => 1e-6,
                "us" or "µs" => 1e-3,
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => null,
            };
            if (scale is null)
            {
                return $"unparsable:{duration}";
            }

            total += number * scale.Value;
        }

        return total.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
    }

    private static void AddUnique(JsonObject map, string urn, JsonNode value)
    {
        // The same URN twice would be a "Duplicate resource URN" error in a real engine; keep both visible.
        var key = urn;
        for (var n = 2; map.ContainsKey(key); n++)
        {
            key = $"{urn} (#{n})";
        }

        map[key] = value;
    }

    private static void SortStrings(JsonObject obj, string field)
    {
        if (obj[field] is JsonArray array)
        {
            obj[field] = Strings(array.Select(v => (string?)v ?? string.Empty).Order(StringComparer.Ordinal));
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    private static JsonObject Sorted(JsonObject map) =>
        new(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
}

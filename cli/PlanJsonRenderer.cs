using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boma.Infra.Cli;

/// <summary>
/// Prints a plan in the document shape of `pulumi preview --json` (what `boma guard` reads, see
/// docs/guard.md): <c>config</c>, <c>steps[]</c> with <c>op</c>, <c>urn</c>, <c>provider</c> and
/// <c>newState</c> (an apitype resource state), <c>diagnostics</c>, <c>changeSummary</c>. Secrets are
/// <c>"[secret]"</c> and unknowns keep the engine's unknown sentinel, as in the CLI's document. The stack
/// outputs are the root stack's <c>newState.outputs</c> and, for convenience, a top-level <c>outputs</c>.
/// </summary>
internal static class PlanJsonRenderer
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var outputs = PlanValues.MaskObject(plan.Outputs);
        var config = new JsonObject();
        foreach (var (key, value) in plan.Config.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            config[key] = plan.SecretKeys.Contains(key) ? PlanValues.SecretMarker : value;
        }

        var steps = new JsonArray();
        foreach (var r in plan.Resources)
        {
            var state = new JsonObject
            {
                ["urn"] = r.Urn,
                ["custom"] = r.Custom,
                ["type"] = r.Type,
                ["inputs"] = PlanValues.MaskObject(r.Inputs),
            };
            if (!string.IsNullOrEmpty(r.Parent))
            {
                state["parent"] = r.Parent;
            }
            else
            {
                // The root stack's state carries the stack outputs, as in the engine's document.
                state["outputs"] = outputs.DeepClone();
            }

            state["protect"] = r.Protect;
            if (!string.IsNullOrEmpty(r.Provider))
            {
                state["provider"] = r.Provider;
            }

            state["dependencies"] = Strings(r.Dependencies);
            state["additionalSecretOutputs"] = Strings(r.AdditionalSecretOutputs);
            state["ignoreChanges"] = Strings(r.IgnoreChanges);
            state["replaceOnChanges"] = Strings(r.ReplaceOnChanges);
            state["retainOnDelete"] = r.RetainOnDelete;
            state["deleteBeforeReplace"] = r.DeleteBeforeReplace;

            var step = new JsonObject { ["op"] = "create", ["urn"] = r.Urn };
            if (!string.IsNullOrEmpty(r.Provider))
            {
                step["provider"] = r.Provider;
            }

            step["newState"] = state;
            steps.Add(step);
        }

        var doc = new JsonObject
        {
            ["config"] = config,
            ["steps"] = steps,
            ["diagnostics"] = new JsonArray(plan.Diagnostics
                .Select(d => (JsonNode?)new JsonObject { ["urn"] = d.Urn, ["severity"] = d.Severity, ["message"] = d.Message })
                .ToArray()),
            ["changeSummary"] = new JsonObject { ["create"] = plan.Resources.Count },
            ["outputs"] = outputs,
            ["offlinePlaceholders"] = Strings(plan.Placeholders),
        };
        return doc.ToJsonString(Indented);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}

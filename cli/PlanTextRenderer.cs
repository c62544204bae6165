using Boma.Infra.Policy;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Boma.Infra.Cli;

/// <summary>
/// Prints a plan the way `pulumi preview --diff` does: the resource tree (type, name, plan), then each
/// resource's inputs and options, then the stack outputs and the change summary.
/// </summary>
internal static class PlanTextRenderer
{
    public static string Render(PlanResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Previewing update ({plan.Stack}) — offline plan: no engine, no credentials; cloud-assigned values are {PlanValues.KnownAfterApply}\n\n");

        var rows = TreeRows(plan.Resources);
        var typeWidth = Math.Max(4, rows.Max(r => r.Prefix.Length + r.Resource.Type.Length));
        var nameWidth = Math.Max(4, rows.Max(r => r.Resource.Name.Length));
        text.Append(CultureInfo.InvariantCulture, $"     {"Type".PadRight(typeWidth)}  {"Name".PadRight(nameWidth)}  Plan\n");
        foreach (var (prefix, resource) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $" +   {(prefix + resource.Type).PadRight(typeWidth)}  {resource.Name.PadRight(nameWidth)}  create\n");
        }

        text.Append("\nDetails:\n");
        foreach (var resource in plan.Resources)
        {
            text.Append(CultureInfo.InvariantCulture, $"    + {resource.Type}: (create)\n");
            text.Append(CultureInfo.InvariantCulture, $"        [urn={resource.Urn}]\n");
            if (!string.IsNullOrEmpty(resource.Provider))
            {
                text.Append(CultureInfo.InvariantCulture, $"        [provider={ProviderText(resource.Provider)}]\n");
            }

            var options = Options(resource);
            if (options.Length > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"        [{options}]\n");
            }

            var inputs = PlanValues.MaskObject(resource.Inputs);
            var width = inputs.Select(p => p.Key.Length).DefaultIfEmpty(0).Max();
            foreach (var (key, value) in inputs)
            {
                AppendValue(text, "        ", key.PadRight(width), value);
            }
        }

        if (plan.Diagnostics.Count > 0)
        {
            text.Append("\nDiagnostics:\n");
            foreach (var d in plan.Diagnostics)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {(d.Urn.Length == 0 ? "pulumi:pulumi:Stack" : d.Urn)} ({d.Severity}): {d.Message}\n");
            }
        }

        text.Append("\nOutputs:\n");
        var outputs = PlanValues.MaskObject(plan.Outputs);
        var outWidth = outputs.Select(p => p.Key.Length).DefaultIfEmpty(0).Max();
        foreach (var (key, value) in outputs)
        {
            AppendValue(text, "    ", key.PadRight(outWidth), value);
        }

        text.Append(CultureInfo.InvariantCulture, $"\nResources:\n    + {plan.Resources.Count} to create\n");
        if (plan.Placeholders.Count > 0)
        {
            text.Append("\nOffline placeholders (secrets are never read or decrypted by the plan):\n");
            foreach (var key in plan.Placeholders)
            {
                text.Append(CultureInfo.InvariantCulture, $"    {key} = {StackConfigFile.Placeholder(key)} [secret]\n");
            }
        }

        return text.ToString();
    }

    // Lists of objects (firewall rules, public nets) get one element per line; everything else stays on one line.
    private static void AppendValue(StringBuilder text, string indent, string key, JsonNode? value)
    {
        if (value is JsonArray array && array.Any(e => e is JsonObject))
        {
            text.Append(CultureInfo.InvariantCulture, $"{indent}{key}: [\n");
            for (var i = 0; i < array.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{indent}    [{i}]: {PlanValues.Text(array[i])}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"{indent}]\n");
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"{indent}{key}: {PlanValues.Text(value)}\n");
    }

    private static string ProviderText(string reference)
    {
        var cut = reference.LastIndexOf("::", StringComparison.Ordinal);
        return cut < 0 || reference[(cut + 2)..] != PlanValues.UnknownSentinel
            ? reference
            : reference[..cut] + "::" + PlanValues.KnownAfterApply;
    }

    private static string Options(ResourceView r)
    {
        var parts = new List<string>();
        if (r.Protect)
        {
            parts.Add("protect");
        }

        if (r.IgnoreChanges.Count > 0)
        {
            parts.Add($"ignoreChanges={string.Join(",", r.IgnoreChanges)}");
        }

        if (r.AdditionalSecretOutputs.Count > 0)
        {
            parts.Add($"additionalSecretOutputs={string.Join(",", r.AdditionalSecretOutputs)}");
        }

        if (r.ReplaceOnChanges.Count > 0)
        {
            parts.Add($"replaceOnChanges={string.Join(",", r.ReplaceOnChanges)}");
        }

        if (r.RetainOnDelete)
        {
            parts.Add("retainOnDelete");
        }

        return string.Join("] [", parts);
    }

    /// <summary>Depth-first rows with pulumi's tree glyphs; children follow their parent in registration order.</summary>
    private static List<(string Prefix, ResourceView Resource)> TreeRows(IReadOnlyList<ResourceView> resources)
    {
        var urns = resources.Select(r => r.Urn).ToHashSet(StringComparer.Ordinal);
        var children = resources
            .Where(r => !string.IsNullOrEmpty(r.Parent) && urns.Contains(r.Parent!))
            .GroupBy(r => r.Parent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var rows = new List<(string, ResourceView)>();

        void Walk(ResourceView node, string prefix, string childIndent)
        {
            rows.Add((prefix, node));
            if (!children.TryGetValue(node.Urn, out var kids))
            {
                return;
            }

            for (var i = 0; i < kids.Count; i++)
            {
                var last = i == kids.Count - 1;
                Walk(kids[i], childIndent + (last ? "└─ " : "├─ "), childIndent + (last ? "   " : "│  "));
            }
        }

        foreach (var root in resources.Where(r => string.IsNullOrEmpty(r.Parent) || !urns.Contains(r.Parent!)))
        {
            Walk(root, "", "");
        }

        return rows;
    }
}

using System.Globalization;
using System.Text;

namespace Boma.Infra.Cli;

/// <summary>
/// The Markdown guard posts on the pull request: counts per stack and one row per violation. It names rules,
/// URNs and property names only; input values never appear, so no secret can leak into the comment.
/// </summary>
internal static class GuardSummary
{
    private static readonly string[] Columns = ["create", "update", "replace", "delete", "same"];

    public static string Render(IReadOnlyList<GuardStackResult> stacks, int ruleCount, IReadOnlyCollection<string> allowedUrns)
    {
        ArgumentNullException.ThrowIfNull(allowedUrns);
        ArgumentNullException.ThrowIfNull(stacks);
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("## boma guard").AppendLine();
        md.AppendLine("| stack | create | update | replace | delete | unchanged |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var stack in stacks)
        {
            md.Append(inv, $"| {Cell(stack.Stack)} |");
            foreach (var op in Columns)
            {
                md.Append(inv, $" {stack.Document.Count(op)} |");
            }

            md.AppendLine();
        }

        md.AppendLine();
        var violations = stacks.SelectMany(s => s.Violations.Select(v => (s.Stack, v))).ToList();
        if (violations.Count == 0)
        {
            md.AppendLine(inv, $"No invariant violations ({ruleCount} rules checked).");
        }
        else
        {
            md.AppendLine(inv, $"### Violations ({violations.Count})").AppendLine();
            md.AppendLine("| rule | stack | resource | what to change |");
            md.AppendLine("| --- | --- | --- | --- |");
            foreach (var (stack, v) in violations)
            {
                md.AppendLine(inv, $"| `{Cell(v.RuleId)}` | {Cell(stack)} | `{Cell(v.Urn)}` | {Cell(v.Message)} |");
            }
        }

        var allowed = stacks.SelectMany(s => s.Allowed.Select(v => (s.Stack, v))).ToList();
        if (allowed.Count > 0)
        {
            md.AppendLine().AppendLine("### Allowed by this pull request").AppendLine();
            foreach (var (stack, v) in allowed)
            {
                md.AppendLine(inv, $"- {Cell(stack)}: `{Cell(v.Urn)}` ({Cell(v.RuleId)})");
            }
        }

        // An allowance nothing needed is likely a typo or a leftover from an earlier pull request.
        var unused = allowedUrns.Where(u => !allowed.Any(a => a.v.Urn == u)).Order(StringComparer.Ordinal).ToList();
        foreach (var urn in unused)
        {
            md.AppendLine().AppendLine(inv, $"> Note: `{Cell(urn)}` is allowed but no stack replaces or deletes it; remove it from the allow list.");
        }

        foreach (var stack in stacks.Where(s => s.Document.OmitsUnchanged))
        {
            md.AppendLine().AppendLine(inv,
                $"> Note: the {Cell(stack.Stack)} preview leaves out unchanged resources; run `pulumi preview --json --show-sames` so every resource is checked.");
        }

        return md.ToString();
    }

    // Table cells: a pipe or a newline would break the row.
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>One step's line in the report; <see cref="StartedAt"/> is seconds since the deploy run began.</summary>
internal sealed record DeployStepResult(
    string Name,
    string Urn,
    string Type,
    DeployAction Action,
    int? Exit,
    double Seconds,
    ImmutableArray<string> Changed,
    string? Error,
    double StartedAt = 0,
    ImmutableArray<string> Dependencies = default);

/// <summary>What a deploy did: the step table and the stack outputs (secrets masked).</summary>
internal sealed class DeployReport
{
    public required ImmutableArray<DeployStepResult> Steps { get; init; }

    /// <summary>Stack outputs, every secret (and every value carrying one) as <c>[secret]</c>.</summary>
    public required IReadOnlyDictionary<string, string> StackOutputs { get; init; }

    /// <summary>The first failure (step name, exit, stderr tail with secrets masked), or null.</summary>
    public string? Failure { get; init; }

    public bool Succeeded => Failure is null;

    /// <summary>Steps that ran a command or a copy (not skipped, not left unstarted).</summary>
    public IEnumerable<DeployStepResult> Ran => Steps.Where(s => s.Action is not DeployAction.Skip and not DeployAction.NotRun and not DeployAction.Excluded);

    /// <summary>
    /// The chain of steps that ran one after another up to the last of <paramref name="targets"/> to finish: from that
    /// step back, each time the dependency that finished last (what it waited for). A step without recorded
    /// dependencies falls back to the step that finished last before it started (a dependency, or a free slot of the
    /// parallel limit). Empty when a target did not run.
    /// </summary>
    public IReadOnlyList<DeployStepResult> CriticalPath(IEnumerable<string> targets)
    {
        const double Slack = 0.05;
        var ran = Ran.ToList();
        var ends = targets.Select(t => ran.FirstOrDefault(s => s.Name == t)).ToList();
        if (ends.Count == 0 || ends.Any(e => e is null))
        {
            return [];
        }

        var chain = new List<DeployStepResult> { ends.MaxBy(e => e!.StartedAt + e.Seconds)! };
        while (true)
        {
            var head = chain[0];
            // Steps running beside it in parallel branches finish before it too, but did not hold it up.
            var candidates = head.Dependencies.IsDefault ? ran : ran.Where(s => head.Dependencies.Contains(s.Urn));
            var before = candidates.Where(s => s.StartedAt + s.Seconds <= head.StartedAt + Slack && !chain.Contains(s)).MaxBy(s => s.StartedAt + s.Seconds);
            if (before is null)
            {
                return chain;
            }

            chain.Insert(0, before);
        }
    }

    /// <summary>The step table and outputs as Markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| step | action | exit | seconds | changed |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var s in Steps)
        {
            var changed = s.Changed.IsEmpty ? "" : string.Join("<br>", s.Changed.Select(Cell));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Cell(s.Name)} | {s.Action.ToString().ToLowerInvariant()} | {s.Exit?.ToString(CultureInfo.InvariantCulture) ?? ""} | {s.Seconds:0.0} | {changed} |");
        }

        if (Failure is not null)
        {
            text.AppendLine().AppendLine("Failed:").AppendLine().AppendLine("```").AppendLine(Failure).AppendLine("```");
        }

        text.AppendLine().AppendLine("| output | value |").AppendLine("| --- | --- |");
        foreach (var (key, value) in StackOutputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(key)} | {Cell(value)} |");
        }

        return text.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

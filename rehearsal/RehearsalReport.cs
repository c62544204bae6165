using System.Globalization;
using System.Text;
using Boma.Infra.Rehearsal.Deploy;

namespace Boma.Infra.Rehearsal;

/// <summary>One named check with its evidence.</summary>
internal sealed record CheckResult(string Name, bool Passed, string Evidence);

/// <summary>
/// The rehearsal's report: the step table of every deploy run and the checks, as Markdown. Thread-safe: the cluster
/// rehearsal's VMs and askari deploy at the same time.
/// </summary>
internal sealed class RehearsalReport
{
    private readonly Lock _lock = new();
    private readonly List<(string Title, DeployReport Report)> _runs = [];
    private readonly List<CheckResult> _checks = [];
    private readonly List<string> _notes = [];
    private readonly List<(string Title, string Markdown)> _sections = [];

    public IReadOnlyList<CheckResult> Checks
    {
        get
        {
            lock (_lock)
            {
                return [.. _checks];
            }
        }
    }

    public bool Passed => Checks is { Count: > 0 } checks && checks.All(c => c.Passed);

    public TimeSpan Elapsed { get; set; }

    /// <summary>The stack rehearsed, in the report's heading.</summary>
    public string Title { get; init; } = "offsite";

    public void AddRun(string title, DeployReport report)
    {
        lock (_lock)
        {
            _runs.Add((title, report));
        }
    }

    public CheckResult Add(string name, bool passed, string evidence)
    {
        var check = new CheckResult(name, passed, evidence);
        lock (_lock)
        {
            _checks.Add(check);
        }

        return check;
    }

    public void Note(string text)
    {
        lock (_lock)
        {
            _notes.Add(text);
        }
    }

    /// <summary>A section of its own after the checks (e.g. the Lynis comparison), already Markdown.</summary>
    public void Section(string title, string markdown)
    {
        lock (_lock)
        {
            _sections.Add((title, markdown));
        }
    }

    public string ToMarkdown()
    {
        lock (_lock)
        {
            return ToMarkdownLocked();
        }
    }

    private string ToMarkdownLocked()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Rehearsal: {Title}").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Result: **{(_checks.Count > 0 && _checks.All(c => c.Passed) ? "pass" : "FAIL")}** ({_checks.Count(c => c.Passed)}/{_checks.Count} checks), {Elapsed.TotalMinutes:0.0} min.").AppendLine();
        text.AppendLine("## Checks").AppendLine();
        text.AppendLine("| check | result | evidence |").AppendLine("| --- | --- | --- |");
        foreach (var c in _checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {(c.Passed ? "pass" : "FAIL")} | {Cell(c.Evidence)} |");
        }

        foreach (var (title, markdown) in _sections)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine().Append(markdown);
        }

        foreach (var (title, report) in _runs)
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Steps: {title}").AppendLine();
            text.AppendLine("| step | action | exit | seconds | changed |").AppendLine("| --- | --- | --- | --- | --- |");
            foreach (var s in report.Steps)
            {
                var changed = s.Changed.IsEmpty ? "" : string.Join(", ", s.Changed);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Cell(s.Name)} | {s.Action.ToString().ToLowerInvariant()} | {s.Exit?.ToString(CultureInfo.InvariantCulture) ?? ""} | {s.Seconds:0.0} | {Cell(changed)} |");
            }

            if (report.Failure is not null)
            {
                text.AppendLine().AppendLine("Failed:").AppendLine().AppendLine("```").AppendLine(report.Failure).AppendLine("```");
            }
        }

        if (_notes.Count > 0)
        {
            text.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var n in _notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {n}");
            }
        }

        return text.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

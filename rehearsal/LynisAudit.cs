using System.Globalization;
using System.Text;

namespace Boma.Infra.Rehearsal;

/// <summary>One Lynis warning or suggestion: its test id, what it says, and the detail Lynis gives (or "-").</summary>
internal sealed record LynisFinding(string TestId, string Text, string Details)
{
    /// <summary>The test id with its detail when it has one (SSH-7408 flags one finding per sshd option).</summary>
    public string Key => Details is "-" or "" ? TestId : $"{TestId} ({Details})";
}

/// <summary>What one `lynis audit system` found (the lines of its report.dat that matter here).</summary>
internal sealed record LynisResult(string Version, int HardeningIndex, int Tests, IReadOnlyList<LynisFinding> Warnings, IReadOnlyList<LynisFinding> Suggestions, string Added)
{
    /// <summary>The hardening points per test (from Lynis' log): what the index is made of.</summary>
    public IReadOnlyList<(string TestId, int Got, int Max)> Points { get; init; } = [];

    /// <summary>The report's lines as the audit printed them (kept next to the rehearsal's report).</summary>
    public string Raw { get; init; } = "";
}

/// <summary>
/// The rehearsals' Lynis measurement (docs/lynis.md): Debian's lynis run on a rehearsal machine by
/// rehearsal/lab/lynis-audit.sh (installed with apt, audited, purged again), its report parsed, and every warning and
/// suggestion held against the classification table in docs/lynis.md. Reusable: it needs only a way to run a
/// script as root on the machine (the offsite rehearsal's askari; a cluster VM later).
/// </summary>
internal static class LynisAudit
{
    /// <summary>Runs a script as root on the audited machine (its text on stdin of `sudo -n bash -s`).</summary>
    public delegate Task<ProcessResult> RunAsRoot(string script, TimeSpan timeout, CancellationToken ct);

    /// <summary>The audit script (rehearsal/lab/lynis-audit.sh).</summary>
    public static string ScriptPath(string repoDir) => Path.Combine(repoDir, "rehearsal", "lab", "lynis-audit.sh");

    public static async Task<LynisResult> RunAsync(string repoDir, RunAsRoot root, CancellationToken ct) =>
        Parse(await RunRawAsync(repoDir, root, ct));

    /// <summary>
    /// The audit of a machine that is the same on every run (the plain image, before the deploy) is kept in
    /// <paramref name="cacheFile"/> and reused while younger than <paramref name="maxAge"/>: a full audit takes minutes
    /// on a loaded 2-core machine. The caller names the file by what the machine is built from. Returns the result and,
    /// when it came from the cache, when it was measured.
    /// </summary>
    public static async Task<(LynisResult Result, DateTime? CachedAt)> RunCachedAsync(string repoDir, RunAsRoot root, string cacheFile, TimeSpan maxAge, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cacheFile);
        if (File.Exists(cacheFile) && DateTime.UtcNow - File.GetLastWriteTimeUtc(cacheFile) < maxAge)
        {
            return (Parse(await File.ReadAllTextAsync(cacheFile, ct)), File.GetLastWriteTimeUtc(cacheFile));
        }

        var raw = await RunRawAsync(repoDir, root, ct);
        var result = Parse(raw);
        Directory.CreateDirectory(Path.GetDirectoryName(cacheFile)!);
        await File.WriteAllTextAsync(cacheFile + ".tmp", raw, ct);
        File.Move(cacheFile + ".tmp", cacheFile, overwrite: true);
        return (result, null);
    }

    private static async Task<string> RunRawAsync(string repoDir, RunAsRoot root, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(root);
        var script = await File.ReadAllTextAsync(ScriptPath(repoDir), ct);
        var r = await root(script, TimeSpan.FromMinutes(15), ct);
        if (!r.Ok)
        {
            throw new InvalidOperationException($"lynis-audit.sh failed (exit {r.Exit}): {r.Tail(5)}");
        }

        return r.Stdout;
    }

    /// <summary>Parses report.dat lines (`key=value`, `warning[]=ID|text|details|solution|`).</summary>
    public static LynisResult Parse(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string version = "", added = "";
        int? index = null;
        var tests = 0;
        var warnings = new List<LynisFinding>();
        var suggestions = new List<LynisFinding>();
        var points = new List<(string, int, int)>();
        foreach (var raw in report.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var (key, value) = (line[..eq], line[(eq + 1)..]);
            switch (key)
            {
                case "lynis_version": version = value; break;
                case "hardening_index": index = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "tests_executed": tests = value.Split('|', StringSplitOptions.RemoveEmptyEntries).Length; break;
                case "warning[]": warnings.Add(Finding(value)); break;
                case "suggestion[]": suggestions.Add(Finding(value)); break;
                case "boma_lynis_added": added = value; break;
                case "boma_lynis_points" when value.Split('|') is [var id, var got, var max] && int.TryParse(got, CultureInfo.InvariantCulture, out var g) && int.TryParse(max, CultureInfo.InvariantCulture, out var m):
                    points.Add((id, g, m));
                    break;
                default: break;
            }
        }

        if (index is null)
        {
            throw new FormatException("the Lynis report has no hardening_index line (did the audit finish?)");
        }

        return new LynisResult(version, index.Value, tests, warnings, suggestions, added) { Points = points, Raw = report };
    }

    private static LynisFinding Finding(string value)
    {
        var f = value.Split('|');
        return new LynisFinding(f[0].Trim(), f.Length > 1 ? f[1].Trim() : "", f.Length > 2 ? f[2].Trim() : "-");
    }

    /// <summary>
    /// The classification in docs/lynis.md: the rows of its table whose first cell is a Lynis test id in backticks,
    /// `ID` (every finding of that test) or `ID (detail)` (that one finding), mapped to their status cell.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Classification(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in markdown.Split('\n'))
        {
            var cells = line.Trim().Trim('|').Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length >= 3 && cells[0].Length > 2 && cells[0][0] == '`' && cells[0][^1] == '`' && char.IsUpper(cells[0][1]))
            {
                map[cells[0][1..^1]] = cells[^1];
            }
        }

        return map;
    }

    /// <summary>The findings the classification does not explain (neither by their key nor by their test id).</summary>
    public static IReadOnlyList<LynisFinding> Unexplained(LynisResult result, IReadOnlyDictionary<string, string> classification)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(classification);
        return [.. result.Warnings.Concat(result.Suggestions).Where(f => !classification.ContainsKey(f.Key) && !classification.ContainsKey(f.TestId))];
    }

    /// <summary>The plain machine and the boma machine side by side, then every boma finding with its classification.</summary>
    public static string Comparison(string machine, LynisResult plain, LynisResult boma, IReadOnlyDictionary<string, string> classification)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(boma);
        ArgumentNullException.ThrowIfNull(classification);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Debian's lynis {boma.Version} (`lynis audit system --quick`) on {machine}; classification: docs/lynis.md.").AppendLine();
        text.AppendLine("| | plain Debian 13 (after first boot) | boma (after converge) |").AppendLine("| --- | --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| hardening index | {plain.HardeningIndex} | {boma.HardeningIndex} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| tests performed | {plain.Tests} | {boma.Tests} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| warnings | {plain.Warnings.Count} | {boma.Warnings.Count} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| suggestions | {plain.Suggestions.Count} | {boma.Suggestions.Count} |");
        text.AppendLine().AppendLine("| kind | finding | Lynis says | docs/lynis.md |").AppendLine("| --- | --- | --- | --- |");
        foreach (var (kind, list) in new[] { ("warning", boma.Warnings), ("suggestion", boma.Suggestions) })
        {
            foreach (var f in list)
            {
                var status = classification.GetValueOrDefault(f.Key) ?? classification.GetValueOrDefault(f.TestId) ?? "**UNEXPLAINED**";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | `{Cell(f.Key)}` | {Cell(f.Text)} | {Cell(status)} |");
            }
        }

        var shortOf = boma.Points.GroupBy(p => p.TestId).Select(g => (Id: g.Key, Got: g.Sum(p => p.Got), Max: g.Sum(p => p.Max))).Where(p => p.Got < p.Max).ToList();
        if (shortOf.Count > 0)
        {
            var list = string.Join(", ", shortOf.Select(p => $"{p.Id} {p.Got}/{p.Max}"));
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
                $"Points the boma machine did not get ({boma.Points.Sum(p => p.Got)} of {boma.Points.Sum(p => p.Max)} in all): {list}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The plain machine's audit is of the cloud image as cloud-init leaves it, the same on every run until the image or
    /// the audit script changes, so it is cached by those (both rehearsals boot their machines from that image).
    /// </summary>
    public static string PlainCacheFile(string repoDir, string cacheDir)
    {
        var image = new FileInfo(Path.Combine(cacheDir, "trixie-cloud.tar"));
        var key = Hosts.HostTemplates.Sha256($"{image.Length} {image.LastWriteTimeUtc:O}\n{File.ReadAllText(ScriptPath(repoDir))}")[..16];
        return Path.Combine(cacheDir, $"lynis-plain-{key}.dat");
    }

    /// <summary>
    /// The boma machine's audit (its report kept in <paramref name="rawFile"/>), then <see cref="Check"/> against the plain
    /// one and docs/lynis.md; a failed audit is a failed check that says why. Both rehearsals measure with this.
    /// </summary>
    public static async Task<(bool Passed, string Evidence, string? Section)> MeasureAsync(string repoDir, RunAsRoot root, string machine, string rawFile,
        (LynisResult? Result, string? Error, DateTime? CachedAt) plain, CancellationToken ct)
    {
        LynisResult boma;
        try
        {
            boma = await RunAsync(repoDir, root, ct);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return (false, $"the audit of {machine} failed: {e.Message}", null);
        }

        await File.WriteAllTextAsync(rawFile, boma.Raw, ct);
        var classification = Classification(await File.ReadAllTextAsync(Path.Combine(repoDir, "docs", "lynis.md"), ct));
        return Check(machine, plain.Result, plain.Error, plain.CachedAt, boma, classification);
    }

    /// <summary>
    /// The rehearsal's lynis check for one boma machine: passed when its index is above the plain machine's and every
    /// finding is classified in docs/lynis.md; with the side-by-side section for the report (null when the plain audit
    /// failed: <paramref name="plainError"/> says why).
    /// </summary>
    public static (bool Passed, string Evidence, string? Section) Check(string machine, LynisResult? plain, string? plainError, DateTime? plainCachedAt,
        LynisResult boma, IReadOnlyDictionary<string, string> classification)
    {
        ArgumentNullException.ThrowIfNull(boma);
        if (plain is null)
        {
            // The boma numbers still count; the comparison needs the plain one.
            return (false, $"the plain machine's audit failed: {plainError}; boma ({machine}): hardening index {boma.HardeningIndex}, " +
                $"warnings {boma.Warnings.Count}, suggestions {boma.Suggestions.Count}", null);
        }

        var unexplained = Unexplained(boma, classification);
        var evidence = $"{machine}: hardening index plain {plain.HardeningIndex}{(plainCachedAt is { } at ? $" (the same image audited {at:yyyy-MM-dd HH:mm} UTC, cached)" : "")} → boma {boma.HardeningIndex} " +
            $"(target 80: {(boma.HardeningIndex >= 80 ? "met" : "not met in a container; docs/lynis.md says which points a container cannot earn")}); " +
            $"warnings {plain.Warnings.Count} → {boma.Warnings.Count}, suggestions {plain.Suggestions.Count} → {boma.Suggestions.Count}; " +
            $"not classified in docs/lynis.md: {(unexplained.Count == 0 ? "none" : string.Join(", ", unexplained.Select(f => f.Key)))}; lynis installed for the audit and purged after ({boma.Added})";
        return (boma.HardeningIndex > plain.HardeningIndex && unexplained.Count == 0, evidence, Comparison(machine, plain, boma, classification));
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}

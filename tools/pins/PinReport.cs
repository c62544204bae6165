namespace Boma.Pins;

/// <summary>The tool's output: one table of every pin, then the disagreements, if any (exit 1).</summary>
public static class PinReport
{
    public static int Run(string root, TextWriter stdout, TextWriter stderr)
    {
        var pins = PinScanner.Scan(root);
        stdout.WriteLine("| thing | version | where | role | as written |");
        stdout.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var (pin, where) in Rows(pins))
        {
            var text = pin.Text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
            stdout.WriteLine($"| {pin.Thing} | {pin.Version} | {where} | {(pin.Source ? "pinned here" : "copy")} | `{text}` |");
        }

        var things = pins.Select(p => p.Thing).Distinct(StringComparer.Ordinal).Count();
        var disagreements = PinScanner.Disagreements(pins);
        stdout.WriteLine();
        stdout.WriteLine($"{things} things, {pins.Count} places, {disagreements.Count} disagreeing");
        foreach (var d in disagreements)
        {
            stderr.WriteLine($"pins disagree: {d}");
        }

        if (disagreements.Count > 0)
        {
            stderr.WriteLine("fix: edit the 'pinned here' row of each thing, then make every copy say the same (docs/pins.md)");
            return 1;
        }

        return 0;
    }

    /// <summary>One row per place, except that many files saying the same thing (generated headers) share a row.</summary>
    private static IEnumerable<(Pin Pin, string Where)> Rows(IReadOnlyList<Pin> pins)
    {
        foreach (var group in pins.GroupBy(p => (p.Thing, p.Version, p.Source, p.Text)))
        {
            var files = group.Select(p => p.File).Distinct(StringComparer.Ordinal).ToList();
            var directory = files.Count > 3 ? CommonDirectory(files) : "";
            if (directory.Length == 0)
            {
                foreach (var pin in group)
                {
                    yield return (pin, pin.Where);
                }

                continue;
            }

            yield return (group.First(), $"{directory}** ({files.Count} files)");
        }
    }

    private static string CommonDirectory(List<string> files)
    {
        var prefix = files[0][..(files[0].LastIndexOf('/') + 1)];
        while (prefix.Length > 0 && !files.TrueForAll(f => f.StartsWith(prefix, StringComparison.Ordinal)))
        {
            prefix = prefix[..(prefix[..^1].LastIndexOf('/') + 1)];
        }

        return prefix;
    }
}

namespace Boma.Pins;

/// <summary>
/// One place a version is written: what it pins, the version, the file and line (0 for a file whose name is the
/// version), the text as written, and whether this is the place to edit (<see cref="Source"/>) or a copy that follows.
/// </summary>
public sealed record Pin(string Thing, string Version, string File, int Line, string Text, bool Source = false)
{
    public string Where => Line > 0 ? $"{File}:{Line}" : File;
}

/// <summary>A thing whose places do not all say the same version.</summary>
public sealed record Disagreement(string Thing, IReadOnlyList<Pin> Places)
{
    public override string ToString() =>
        $"{Thing}: " + string.Join("; ", Places.GroupBy(p => p.Version, StringComparer.Ordinal)
            .Select(g => $"{g.Key} at {string.Join(", ", g.Select(p => p.Where))}"));
}

namespace Boma.Infra.Policy;

/// <summary>Type tokens in the rule file: exact, or a prefix ending in '*' ("boma:*").</summary>
internal static class TypePattern
{
    public static bool Matches(string pattern, string type) =>
        pattern.EndsWith('*')
            ? type.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, type, StringComparison.Ordinal);

    public static bool MatchesAny(IEnumerable<string> patterns, string type) => patterns.Any(p => Matches(p, type));
}

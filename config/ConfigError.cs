namespace Boma.Infra.Config;

/// <summary>One bad or missing config value: the full key (e.g. <c>boma:breakGlassCidrs[0]</c>), what is wrong, and the command that fixes it.</summary>
internal sealed record ConfigError(string Key, string Problem, string Fix)
{
    // Values are quoted in problems; control characters are shown escaped so a value cannot forge lines.
    public override string ToString() => $"{Addresses.Show(Key, 500)}: {Addresses.Show(Problem, 2000)}\n    fix: {Addresses.Show(Fix, 2000)}";
}

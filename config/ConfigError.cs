namespace Boma.Infra.Config;

/// <summary>One bad or missing config value: the full key (e.g. <c>boma:breakGlassCidrs[0]</c>), what is wrong, and the command that fixes it.</summary>
internal sealed record ConfigError(string Key, string Problem, string Fix)
{
    public override string ToString() => $"{Key}: {Problem}\n    fix: {Fix}";
}

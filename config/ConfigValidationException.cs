namespace Boma.Infra.Config;

/// <summary>Thrown before any resource is registered when the stack config has one or more bad values; lists every one of them.</summary>
public sealed class ConfigValidationException : Exception
{
    public ConfigValidationException()
    {
        Errors = [];
    }

    public ConfigValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ConfigValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    internal ConfigValidationException(string stack, IReadOnlyList<ConfigError> errors)
        : base(Describe(stack, errors))
    {
        Errors = errors;
    }

    internal IReadOnlyList<ConfigError> Errors { get; }

    private static string Describe(string stack, IReadOnlyList<ConfigError> errors)
    {
        var lines = new List<string>
        {
            $"stack config for '{stack}' has {errors.Count} problem{(errors.Count == 1 ? "" : "s")} (nothing was created):",
        };
        lines.AddRange(errors.Select(e => "  " + e.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)));
        return string.Join('\n', lines);
    }
}

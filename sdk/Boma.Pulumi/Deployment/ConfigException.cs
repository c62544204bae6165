namespace Boma.Pulumi;

/// <summary>A configuration value is missing or malformed; the message names the key and the command that fixes it.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the error.</summary>
    public ConfigException()
    {
    }

    /// <summary>Creates the error.</summary>
    public ConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Boma.Pulumi;

/// <summary>An actionable error about a resource (bad input, failed registration). Logged without a stack trace.</summary>
public class ResourceException : Exception
{
    /// <summary>Creates the error.</summary>
    public ResourceException()
    {
    }

    /// <summary>Creates the error.</summary>
    public ResourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    public ResourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

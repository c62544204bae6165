namespace Boma.Pulumi;

/// <summary>An actionable error about a resource (bad input, failed registration). Logged without a stack trace.</summary>
public class ResourceException : Exception
{
    /// <summary>The resource the error is about, if any.</summary>
    internal Resource? Resource { get; }

    /// <summary>Whether the error is shown without a stack trace.</summary>
    internal bool HideStack { get; }

    /// <summary>Creates the error.</summary>
    public ResourceException()
    {
    }

    /// <summary>Creates the error.</summary>
    public ResourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error about a resource (the official SDK's constructor; <paramref name="hideStack"/> asks for no stack trace).</summary>
    public ResourceException(string message, Resource? resource, bool hideStack = false)
        : base(message)
    {
        Resource = resource;
        HideStack = hideStack;
    }

    /// <summary>Creates the error.</summary>
    public ResourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

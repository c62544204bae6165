namespace Boma.Pulumi;

/// <summary>The engine answered UNAVAILABLE/CANCELLED: it is shutting down and has reported why itself.</summary>
internal sealed class EngineTerminatingException : Exception
{
    public EngineTerminatingException()
        : base("The Pulumi engine is shutting down; no further requests are sent.")
    {
    }

    public EngineTerminatingException(string message)
        : base(message)
    {
    }

    public EngineTerminatingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

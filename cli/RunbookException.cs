namespace Boma.Infra.Cli;

/// <summary>A runbook input or argument problem; the message names the output/argument and the fix.</summary>
internal sealed class RunbookException : Exception
{
    public RunbookException(string message)
        : base(message)
    {
    }

    public RunbookException()
    {
    }

    public RunbookException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Boma.Infra.Policy;

/// <summary>The rule file is missing, not JSON, or names a kind or parameter the evaluator does not know.</summary>
public sealed class PolicyFileException : Exception
{
    public PolicyFileException(string message) : base(message)
    {
    }

    public PolicyFileException(string message, Exception inner) : base(message, inner)
    {
    }

    public PolicyFileException()
    {
    }
}

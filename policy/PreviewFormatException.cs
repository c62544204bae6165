namespace Boma.Infra.Policy;

/// <summary>A preview document that cannot be read: not JSON, or JSON of another shape. The message is one line.</summary>
public sealed class PreviewFormatException : Exception
{
    public PreviewFormatException(string message) : base(message)
    {
    }

    public PreviewFormatException(string message, Exception inner) : base(message, inner)
    {
    }

    public PreviewFormatException()
    {
    }
}

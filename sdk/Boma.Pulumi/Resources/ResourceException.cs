using System.Diagnostics.CodeAnalysis;

namespace Boma.Pulumi;

/// <summary>An actionable error about a resource (bad input, failed registration). Logged without a stack trace.</summary>
/// <remarks>Only the official SDK's one constructor, so a program that builds here builds on the official SDK too.</remarks>
[SuppressMessage("Design", "CA1032:Implement standard exception constructors", Justification = "The official SDK's ResourceException has exactly this constructor.")]
public class ResourceException : Exception
{
    /// <summary>Creates the error about a resource (<paramref name="hideStack"/> asks for no stack trace).</summary>
    public ResourceException(string message, Resource? resource, bool hideStack = false)
        : base(message)
    {
        Resource = resource;
        HideStack = hideStack;
    }

    /// <summary>The resource the error is about, if any.</summary>
    internal Resource? Resource { get; }

    /// <summary>Whether the error is shown without a stack trace.</summary>
    internal bool HideStack { get; }
}

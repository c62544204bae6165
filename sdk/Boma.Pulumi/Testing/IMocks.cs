namespace Boma.Pulumi.Testing;

/// <summary>Answers the recording monitor's resource and function calls in tests.</summary>
public interface IMocks
{
    /// <summary>The ID and state (outputs) of a new custom resource. A null ID means "&lt;name&gt;-id" in an update and unknown in a preview.</summary>
    Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args);

    /// <summary>The result of a provider function.</summary>
    Task<object> CallAsync(MockCallArgs args);
}

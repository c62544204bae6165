namespace Boma.Pulumi.Testing;

/// <summary>The default mocks: every resource's outputs are its inputs (as sent, secrets kept); functions return nothing.</summary>
public sealed class EchoMocks : IMocks
{
    /// <inheritdoc />
    public Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Task.FromResult<(string?, object)>((null, args.WireInputs));
    }

    /// <inheritdoc />
    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(new Dictionary<string, object?>());
}

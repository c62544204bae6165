namespace Boma.Pulumi.Testing;

/// <summary>Reads outputs in tests.</summary>
public static class OutputExtensions
{
    /// <summary>The value (default when unknown).</summary>
    public static async Task<T> GetValueAsync<T>(this Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return (await output.DataTask.ConfigureAwait(false)).Value;
    }

    /// <summary>Whether the value is known.</summary>
    public static async Task<bool> IsKnownAsync<T>(this Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return (await output.DataTask.ConfigureAwait(false)).IsKnown;
    }

    /// <summary>Value, known/secret flags and dependencies.</summary>
    public static Task<OutputData<T>> GetOutputDataAsync<T>(this Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.DataTask;
    }
}

namespace Boma.Pulumi.Providers;

/// <summary>
/// Reads an input's value when it is already known (a plain value, or an output that has
/// resolved), so Args can check it synchronously in the constructor. Anything still pending or
/// unknown reports false and is left to the provider.
/// </summary>
public static class KnownValue
{
    /// <summary>The value, when known now.</summary>
    public static bool TryGet<T>(Input<T> input, out T value) => TryGet(input, out value, out _);

    /// <summary>The value and whether it is secret (so messages never echo a secret), when known now.</summary>
    public static bool TryGet<T>(Input<T> input, out T value, out bool isSecret)
    {
        ArgumentNullException.ThrowIfNull(input);
        return TryRead(input.ToOutput(), out value, out isSecret);
    }

    /// <summary>The list's elements, when the whole list is known now.</summary>
    public static bool TryGetList<T>(InputList<T> list, out IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(list);
        var known = TryRead(list.ToOutput(), out var array, out _);
        items = known ? array : [];
        return known;
    }

    private static bool TryRead<T>(Output<T> output, out T value, out bool isSecret)
    {
        value = default!;
        isSecret = false;
        // A resolved output completes these tasks synchronously; a pending one is not waited for
        // (and not applied, so no extra tracked work is created).
        var secret = Output.IsSecretAsync(output);
        if (!secret.IsCompletedSuccessfully)
        {
            return false;
        }

        isSecret = secret.Result;
        var known = false;
        T captured = default!;
        _ = output.Apply(v =>
        {
            captured = v;
            known = true;
            return 0;
        });
        value = captured;
        return known;
    }
}

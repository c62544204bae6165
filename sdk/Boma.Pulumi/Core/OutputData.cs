using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>The resolved state of an <see cref="Output{T}"/>: its value, whether it is known, secret, and which resources it came from.</summary>
public sealed record OutputData<T>(T Value, bool IsKnown, bool IsSecret, ImmutableHashSet<Resource> Resources)
{
    internal static OutputData<T> Known(T value) => new(value, true, false, ImmutableHashSet<Resource>.Empty);

    internal static OutputData<T> Unknown(bool isSecret, ImmutableHashSet<Resource> resources) =>
        new(default!, false, isSecret, resources);
}

using System.Collections;
using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>
/// A map input (string keys). Built entry by entry it keeps the values apart, so a secret or unknown value
/// is sent as such on its own; built from a whole output it is sent as one value.
/// </summary>
#pragma warning disable CA1715 // InputMap<V> is the official SDK's name for the value parameter; kept for familiarity.
public sealed class InputMap<V> : IInput, IEnumerable<KeyValuePair<string, Input<V>>>
{
    private ImmutableDictionary<string, Input<V>> _entries = ImmutableDictionary<string, Input<V>>.Empty;
    private Output<ImmutableDictionary<string, V>>? _whole;

    /// <summary>An empty map.</summary>
    public InputMap()
    {
    }

    private InputMap(Output<ImmutableDictionary<string, V>> whole)
    {
        _whole = whole;
    }

    /// <summary>The entries when the map was built entry by entry; null when it is one whole output.</summary>
    internal ImmutableDictionary<string, Input<V>>? Entries => _whole is null ? _entries : null;

    /// <summary>Adds an entry.</summary>
    public void Add(string key, Input<V> value) => this[key] = value;

    /// <summary>Sets an entry.</summary>
    public Input<V> this[string key]
    {
        get => _whole is null
            ? _entries[key]
            : _whole.Apply(d => d[key]);
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            if (_whole is null)
            {
                _entries = _entries.SetItem(key, value);
                return;
            }

            var output = value.ToOutput();
            var current = _whole;
            _whole = current.Apply(d => output.Apply(v => d.SetItem(key, v)));
        }
    }

    /// <summary>The whole map as one output.</summary>
    public Output<ImmutableDictionary<string, V>> ToOutput()
    {
        if (_whole is not null)
        {
            return _whole;
        }

        var keys = _entries.Keys.ToArray();
        return Output.All(keys.Select(k => _entries[k]))
            .Apply(values => keys.Zip(values).ToImmutableDictionary(p => p.First, p => p.Second));
    }

    IOutput IInput.ToUntypedOutput() => ToOutput();

    /// <summary>The entries; only available when the map was built entry by entry.</summary>
    public IEnumerator<KeyValuePair<string, Input<V>>> GetEnumerator() =>
        _whole is null
            ? _entries.GetEnumerator()
            : throw new NotSupportedException("This InputMap wraps a single Output; use ToOutput().Apply(...) to read its entries.");

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>From plain values.</summary>
    public static implicit operator InputMap<V>(Dictionary<string, V> values) => FromPairs(values);

    /// <summary>From plain values.</summary>
    public static implicit operator InputMap<V>(ImmutableDictionary<string, V> values) => FromPairs(values);

    /// <summary>From one output of a map.</summary>
    public static implicit operator InputMap<V>(Output<ImmutableDictionary<string, V>> values) => new(values);

    /// <summary>From one output of a map.</summary>
    public static implicit operator InputMap<V>(Output<Dictionary<string, V>> values) =>
        new(values.Apply(d => d.ToImmutableDictionary()));

    private static InputMap<V> FromPairs(IEnumerable<KeyValuePair<string, V>> pairs)
    {
        var map = new InputMap<V>();
        foreach (var (k, v) in pairs)
        {
            map._entries = map._entries.SetItem(k, v);
        }

        return map;
    }
}
#pragma warning restore CA1715

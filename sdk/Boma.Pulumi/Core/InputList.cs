using System.Collections;
using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>
/// A list input. Built from single elements it keeps them apart, so a secret or unknown element is sent
/// as such on its own (like the official SDKs); built from a whole output it is sent as one value.
/// </summary>
public sealed class InputList<T> : IInput, IEnumerable<Input<T>>
{
    private ImmutableArray<Input<T>> _items = [];
    private Output<ImmutableArray<T>>? _whole;

    /// <summary>An empty list.</summary>
    public InputList()
    {
    }

    private InputList(Output<ImmutableArray<T>> whole)
    {
        _whole = whole;
    }

    /// <summary>The elements when the list was built element by element; default when it is one whole output.</summary>
    internal ImmutableArray<Input<T>>? Items => _whole is null ? _items : null;

    /// <summary>Appends elements.</summary>
    public void Add(params Input<T>[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_whole is not null)
        {
            var more = Output.All(inputs);
            var current = _whole;
            _whole = current.Apply(a => more.Apply(b => a.AddRange(b)));
            return;
        }

        _items = _items.AddRange(inputs);
    }

    /// <summary>Appends another list (the official SDK's overload: with it, <c>Add</c> of a plain value or an output to an
    /// <c>InputList&lt;object&gt;</c> is ambiguous in both SDKs, CS0121, instead of compiling only here).</summary>
    public void Add(InputList<T> inputs) => AddRange(inputs);

    /// <summary>Appends another list.</summary>
    public void AddRange(InputList<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_whole is null && other._whole is null)
        {
            _items = _items.AddRange(other._items);
            return;
        }

        var mine = ToOutput();
        var theirs = other.ToOutput();
        _items = [];
        _whole = mine.Apply(a => theirs.Apply(b => a.AddRange(b)));
    }

    /// <summary>The whole list as one output.</summary>
    public Output<ImmutableArray<T>> ToOutput() => _whole ?? Output.All((IEnumerable<Input<T>>)_items);

    /// <summary>See <see cref="Output{T}.Apply{TResult}(Func{T, TResult})"/>.</summary>
    public Output<TResult> Apply<TResult>(Func<ImmutableArray<T>, TResult> func) => ToOutput().Apply(func);

    IOutput IInput.ToUntypedOutput() => ToOutput();

    /// <summary>The elements; only available when the list was built element by element.</summary>
    public IEnumerator<Input<T>> GetEnumerator() =>
        _whole is null
            ? ((IEnumerable<Input<T>>)_items).GetEnumerator()
            : throw new NotSupportedException("This InputList wraps a single Output; use ToOutput().Apply(...) to read its elements.");

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One element.</summary>
    public static implicit operator InputList<T>(T value) => FromInputs([(Input<T>)value]);

    /// <summary>One element.</summary>
    public static implicit operator InputList<T>(Output<T> value) => FromInputs([(Input<T>)value]);

    /// <summary>One element.</summary>
    public static implicit operator InputList<T>(Input<T> value) => FromInputs([value]);

    /// <summary>From plain values.</summary>
    public static implicit operator InputList<T>(T[] values) => FromInputs(values.Select(v => (Input<T>)v));

    /// <summary>From plain values.</summary>
    public static implicit operator InputList<T>(List<T> values) => FromInputs(values.Select(v => (Input<T>)v));

    /// <summary>From plain values.</summary>
    public static implicit operator InputList<T>(ImmutableArray<T> values) => FromInputs(values.Select(v => (Input<T>)v));

    /// <summary>From inputs.</summary>
    public static implicit operator InputList<T>(Input<T>[] values) => FromInputs(values);

    /// <summary>From outputs.</summary>
    public static implicit operator InputList<T>(Output<T>[] values) => FromInputs(values.Select(v => (Input<T>)v));

    /// <summary>From one output of an array.</summary>
    public static implicit operator InputList<T>(Output<T[]> values) => new(values.Apply(v => v.ToImmutableArray()));

    /// <summary>From one output of a list.</summary>
    public static implicit operator InputList<T>(Output<ImmutableArray<T>> values) => new(values);

    /// <summary>From one output of a list.</summary>
    public static implicit operator InputList<T>(Output<List<T>> values) => new(values.Apply(v => v.ToImmutableArray()));

    private static InputList<T> FromInputs(IEnumerable<Input<T>> inputs)
    {
        var list = new InputList<T>();
        list._items = inputs.ToImmutableArray();
        return list;
    }
}

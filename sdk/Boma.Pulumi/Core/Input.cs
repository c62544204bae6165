namespace Boma.Pulumi;

/// <summary>A resource input: either a plain value or an <see cref="Output{T}"/>.</summary>
public sealed class Input<T> : IInput
{
    private readonly Output<T> _output;

    private Input(Output<T> output)
    {
        _output = output;
    }

    /// <summary>Wraps a plain value.</summary>
    public static implicit operator Input<T>(T value) => new(Output.Create(value));

    /// <summary>Wraps an output.</summary>
    public static implicit operator Input<T>(Output<T> value) => new(value);

    /// <summary>The input as an output.</summary>
    public static implicit operator Output<T>(Input<T> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input._output;
    }

    /// <summary>The input as an output.</summary>
    public Output<T> ToOutput() => _output;

    /// <summary>See <see cref="Output{T}.Apply{TResult}(Func{T, TResult})"/>.</summary>
    public Output<TResult> Apply<TResult>(Func<T, TResult> func) => _output.Apply(func);

    /// <summary>See <see cref="Output{T}.Apply{TResult}(Func{T, Output{TResult}})"/>.</summary>
    public Output<TResult> Apply<TResult>(Func<T, Output<TResult>?> func) => _output.Apply(func);

    IOutput IInput.ToUntypedOutput() => _output;
}

using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>
/// A value that becomes available later. It may be unknown (during a preview), secret, and it remembers
/// the resources it depends on; all three propagate through <c>Apply</c>.
/// </summary>
public sealed class Output<T> : IOutput
{
    internal Output(Task<OutputData<T>> dataTask)
        : this(dataTask, track: true)
    {
    }

    /// <param name="dataTask">The data.</param>
    /// <param name="track">False only for a task that can fail only when a task the run already tracks fails (the
    /// same error): tracking costs a continuation per output that lives until the task ends.</param>
    internal Output(Task<OutputData<T>> dataTask, bool track)
    {
        DataTask = dataTask;
        // Track pending work so the run can wait for it (and see its failures) before exiting; a task that
        // already failed is tracked too, or its error would be lost and the run would exit 0.
        if (track && !dataTask.IsCompletedSuccessfully)
        {
            DeploymentRun.Current?.Track(dataTask);
        }
    }

    internal Task<OutputData<T>> DataTask { get; }

    internal Task<OutputData<T>> GetDataAsync() => DataTask;

    /// <summary>Creates a known, non-secret output.</summary>
    public static Output<T> Create(T value) => Output.Create(value);

    /// <summary>Transforms the value once it is known; an unknown stays unknown and the lambda does not run.</summary>
    public Output<TResult> Apply<TResult>(Func<T, TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Apply(v => Output.Create(func(v)));
    }

    /// <summary>Transforms the value asynchronously once it is known.</summary>
    public Output<TResult> Apply<TResult>(Func<T, Task<TResult>> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Apply(v => Output.Create(func(v)));
    }

    /// <summary>Transforms the value into another output, joining secrecy and dependencies of both.</summary>
    public Output<TResult> Apply<TResult>(Func<T, Output<TResult>?> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new Output<TResult>(ApplyAsync(DataTask, func));
    }

    private static async Task<OutputData<TResult>> ApplyAsync<TResult>(Task<OutputData<T>> source, Func<T, Output<TResult>?> func)
    {
        var data = await source.ConfigureAwait(false);
        if (!data.IsKnown)
        {
            return OutputData<TResult>.Unknown(data.IsSecret, data.Resources);
        }

        var inner = func(data.Value);
        if (inner is null)
        {
            return new OutputData<TResult>(default!, true, data.IsSecret, data.Resources);
        }

        var innerData = await inner.DataTask.ConfigureAwait(false);
        return new OutputData<TResult>(
            innerData.Value,
            innerData.IsKnown,
            data.IsSecret || innerData.IsSecret,
            data.Resources.Union(innerData.Resources));
    }

    Task IOutput.Completion => DataTask;

    OutputData<object?> IOutput.CompletedData()
    {
        // Made when read and not kept: a task per untyped view used to live as long as its output.
        var d = DataTask.GetAwaiter().GetResult();
        return new OutputData<object?>(d.Value, d.IsKnown, d.IsSecret, d.Resources);
    }

    /// <summary>Outputs have no value yet; point the caller at Apply/Format instead of printing a type name.</summary>
    public override string ToString() =>
        $"Output<{typeof(T).Name}> is not a string yet: use .Apply(v => ...) or Output.Format($\"...\") to use its value.";

    internal static Output<T> FromData(OutputData<T> data) => new(Task.FromResult(data));

    internal static Output<T> Unknown(bool isSecret = false) =>
        FromData(OutputData<T>.Unknown(isSecret, ImmutableHashSet<Resource>.Empty));
}

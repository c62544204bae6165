using System.Collections.Immutable;
using System.Globalization;

namespace Boma.Pulumi;

/// <summary>Factories and combinators for <see cref="Output{T}"/>.</summary>
public static class Output
{
    /// <summary>A known, non-secret output.</summary>
    public static Output<T> Create<T>(T value) => Output<T>.FromData(OutputData<T>.Known(value));

    /// <summary>An output that resolves when the task does.</summary>
    public static Output<T> Create<T>(Task<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Output<T>(FromTaskAsync(value));
    }

    private static async Task<OutputData<T>> FromTaskAsync<T>(Task<T> task) =>
        OutputData<T>.Known(await task.ConfigureAwait(false));

    /// <summary>A known output marked secret.</summary>
    public static Output<T> CreateSecret<T>(T value) =>
        Output<T>.FromData(new OutputData<T>(value, true, true, ImmutableHashSet<Resource>.Empty));

    /// <summary>A task's result, marked secret.</summary>
    public static Output<T> CreateSecret<T>(Task<T> value) => MakeSecret(Create(value));

    /// <summary>The same output, marked secret (also while it is unknown).</summary>
    public static Output<T> CreateSecret<T>(Output<T> output) => MakeSecret(output);

    /// <summary>The same output, marked secret (also while it is unknown).</summary>
    public static Output<T> MakeSecret<T>(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new Output<T>(WithSecretAsync(output.DataTask, true));
    }

    /// <summary>The same output with its secret mark removed.</summary>
    public static Output<T> Unsecret<T>(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new Output<T>(WithSecretAsync(output.DataTask, false));
    }

    private static async Task<OutputData<T>> WithSecretAsync<T>(Task<OutputData<T>> task, bool secret) =>
        (await task.ConfigureAwait(false)) with { IsSecret = secret };

    /// <summary>Whether the output is secret.</summary>
    public static async Task<bool> IsSecretAsync<T>(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return (await output.DataTask.ConfigureAwait(false)).IsSecret;
    }

    /// <summary>Combines inputs into one output of all their values.</summary>
    public static Output<ImmutableArray<T>> All<T>(params Input<T>[] inputs) => All((IEnumerable<Input<T>>)inputs);

    /// <summary>Combines outputs into one output of all their values.</summary>
    public static Output<ImmutableArray<T>> All<T>(params Output<T>[] outputs) =>
        All(outputs.Select(o => (Input<T>)o));

    /// <summary>Combines inputs into one output of all their values.</summary>
    public static Output<ImmutableArray<T>> All<T>(IEnumerable<Input<T>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var tasks = inputs.Select(i => i.ToOutput().DataTask).ToArray();
        return new Output<ImmutableArray<T>>(AllAsync(tasks));
    }

    internal static async Task<OutputData<ImmutableArray<T>>> AllAsync<T>(IReadOnlyList<Task<OutputData<T>>> tasks)
    {
        var builder = ImmutableArray.CreateBuilder<T>(tasks.Count);
        var known = true;
        var secret = false;
        var resources = ImmutableHashSet<Resource>.Empty;
        foreach (var task in tasks)
        {
            var d = await task.ConfigureAwait(false);
            known &= d.IsKnown;
            secret |= d.IsSecret;
            resources = resources.Union(d.Resources);
            builder.Add(d.Value);
        }

        return known
            ? new OutputData<ImmutableArray<T>>(builder.MoveToImmutable(), true, secret, resources)
            : OutputData<ImmutableArray<T>>.Unknown(secret, resources);
    }

    /// <summary>Combines two inputs.</summary>
    public static Output<(T1, T2)> Tuple<T1, T2>(Input<T1> item1, Input<T2> item2)
    {
        ArgumentNullException.ThrowIfNull(item1);
        ArgumentNullException.ThrowIfNull(item2);
        var o2 = item2.ToOutput();
        return item1.ToOutput().Apply(a => o2.Apply(b => (a, b)));
    }

    /// <summary>Combines three inputs.</summary>
    public static Output<(T1, T2, T3)> Tuple<T1, T2, T3>(Input<T1> item1, Input<T2> item2, Input<T3> item3)
    {
        ArgumentNullException.ThrowIfNull(item3);
        var o3 = item3.ToOutput();
        return Tuple(item1, item2).Apply(ab => o3.Apply(c => (ab.Item1, ab.Item2, c)));
    }

    /// <summary>Interpolates outputs into a string; unknown if any part is unknown, secret if any part is secret.</summary>
    public static Output<string> Format(FormattableString formattable)
    {
        ArgumentNullException.ThrowIfNull(formattable);
        var args = formattable.GetArguments();
        var parts = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            parts[i] = args[i] switch
            {
                IOutput o => o,
                IInput input => input.ToUntypedOutput(),
                var plain => plain,
            };
        }

        return new Output<string>(FormatAsync(formattable.Format, parts));
    }

    /// <summary>
    /// One state machine for the whole interpolation (it used to be Output.All, then Apply with two closures, each
    /// an output and a task of its own); the parts are awaited in order, as before.
    /// </summary>
    private static async Task<OutputData<string>> FormatAsync(string format, object?[] parts)
    {
        var known = true;
        var secret = false;
        var resources = ImmutableHashSet<Resource>.Empty;
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i] is not IOutput output)
            {
                continue;
            }

            await output.Completion.ConfigureAwait(false);
            var d = output.CompletedData();
            known &= d.IsKnown;
            secret |= d.IsSecret;
            resources = resources.Union(d.Resources);
            parts[i] = d.Value;
        }

        return known
            ? new OutputData<string>(string.Format(CultureInfo.InvariantCulture, format, parts), true, secret, resources)
            : OutputData<string>.Unknown(secret, resources);
    }

    /// <summary>Serializes the value to JSON (System.Text.Json) once it is known.</summary>
    public static Output<string> JsonSerialize<T>(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Apply(v => System.Text.Json.JsonSerializer.Serialize(v));
    }
}

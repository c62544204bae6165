using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>Reads the outputs of another stack (engine built-in <c>pulumi:pulumi:StackReference</c>).</summary>
public sealed class StackReference : CustomResource
{
    private readonly Input<string> _referencedName;

    /// <summary>Reads the stack named by <paramref name="args"/> (or <paramref name="name"/>).</summary>
    public StackReference(string name, StackReferenceArgs? args = null, CustomResourceOptions? options = null)
        : base(
            Serialization.Constants.StackReferenceType,
            name,
            new StackReferenceArgs { Name = args?.Name ?? name },
            WithReadId(options, args?.Name ?? name))
    {
        _referencedName = args?.Name ?? name;
    }

    /// <summary>The referenced stack's name.</summary>
    [Output("name")]
    public Output<string> Name { get; private set; } = null!;

    /// <summary>All outputs of the referenced stack (secret if any of them is).</summary>
    [Output("outputs")]
    public Output<ImmutableDictionary<string, object>> Outputs { get; private set; } = null!;

    /// <summary>Names of the referenced stack's secret outputs.</summary>
    [Output("secretOutputNames")]
    public Output<ImmutableArray<string>> SecretOutputNames { get; private set; } = null!;

    private static CustomResourceOptions WithReadId(CustomResourceOptions? options, Input<string> id)
    {
        var merged = ResourceOptions.Merge(options, new CustomResourceOptions());
        merged.Id = id;
        return merged;
    }

    /// <summary>One output; null when missing, unknown while unknown, secret when the referenced stack marks it secret.</summary>
    public Output<object?> GetOutput(Input<string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new Output<object?>(GetOutputAsync(name.ToOutput(), require: false));
    }

    /// <summary>One output; fails as the official SDK does (<see cref="KeyNotFoundException"/>) when the referenced stack has no such output.</summary>
    public Output<object> RequireOutput(Input<string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new Output<object>(RequireOutputAsync(name.ToOutput()));
    }

    private async Task<OutputData<object>> RequireOutputAsync(Output<string> name)
    {
        var data = await GetOutputAsync(name, require: true).ConfigureAwait(false);
        return new OutputData<object>(data.Value!, data.IsKnown, data.IsSecret, data.Resources);
    }

    /// <summary>The plain value of one output; throws for secret outputs (use <see cref="GetOutput"/>).</summary>
    public async Task<object?> GetValueAsync(Input<string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var data = await GetOutputAsync(name.ToOutput(), require: false).ConfigureAwait(false);
        if (data.IsSecret)
        {
            throw new InvalidOperationException(
                $"Output '{(await name.ToOutput().DataTask.ConfigureAwait(false)).Value}' of stack reference '{GetResourceName()}' is secret: read it with GetOutput(...) to keep it an Output.");
        }

        return data.Value;
    }

    private async Task<OutputData<object?>> GetOutputAsync(Output<string> nameOutput, bool require)
    {
        var nameData = await nameOutput.DataTask.ConfigureAwait(false);
        var outputs = await Outputs.DataTask.ConfigureAwait(false);
        var resources = outputs.Resources.Union(nameData.Resources);
        if (!nameData.IsKnown || !outputs.IsKnown)
        {
            return OutputData<object?>.Unknown(outputs.IsSecret, resources);
        }

        var secretNames = await SecretOutputNames.DataTask.ConfigureAwait(false);
        var name = nameData.Value;
        bool isSecret = secretNames.IsKnown && !secretNames.Value.IsDefault
            ? secretNames.Value.Contains(name)
            : outputs.IsSecret;

        if (outputs.Value is null || !outputs.Value.TryGetValue(name, out var value))
        {
            if (require)
            {
                var stackName = (await _referencedName.ToOutput().DataTask.ConfigureAwait(false)).Value;
                throw new KeyNotFoundException($"Required output '{name}' does not exist on stack '{stackName}'.");
            }

            return new OutputData<object?>(null, true, isSecret, resources);
        }

        return new OutputData<object?>(value, true, isSecret, resources);
    }
}

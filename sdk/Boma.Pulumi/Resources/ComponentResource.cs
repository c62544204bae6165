using System.Reflection;

namespace Boma.Pulumi;

/// <summary>A resource that groups children; the engine does nothing for it beyond recording it.</summary>
public class ComponentResource : Resource
{
    private int _outputsRegistered;

    /// <summary>Registers the component.</summary>
    public ComponentResource(string type, string name, ComponentResourceOptions? options = null)
        : base(type, name, custom: false, args: null, options ?? new ComponentResourceOptions())
    {
    }

    private protected ComponentResource(string type, string name, ComponentResourceOptions? options, bool isRoot)
        : base(type, name, custom: false, args: null, options ?? new ComponentResourceOptions(), isRoot)
    {
    }

    internal bool OutputsRegistered => Volatile.Read(ref _outputsRegistered) != 0;

    /// <summary>Registers this component's <see cref="OutputAttribute"/> properties as its outputs.</summary>
    protected void RegisterOutputs() => RegisterOutputs(CollectOutputProperties());

    /// <summary>Registers the given outputs. Only the first call counts (as in the official SDKs).</summary>
    protected void RegisterOutputs(IDictionary<string, object?> outputs) => RegisterOutputsCore(outputs);

    /// <summary>Registers outputs that are themselves an output.</summary>
    protected void RegisterOutputs(Output<IDictionary<string, object?>> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        RegisterOutputsCore(outputs);
    }

    internal void RegisterOutputsCore(object? outputs)
    {
        if (Interlocked.Exchange(ref _outputsRegistered, 1) != 0)
        {
            return;
        }

        Run.StartRegisterOutputs(this, outputs);
    }

    internal Dictionary<string, object?> CollectOutputProperties()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (var t = GetType(); t is not null && t != typeof(ComponentResource); t = t.BaseType)
        {
            foreach (var p in t.GetProperties(flags))
            {
                if (p.GetCustomAttribute<OutputAttribute>() is { } attr)
                {
                    result.TryAdd(attr.Name ?? Serialization.OutputFiller.CamelCase(p.Name), p.GetValue(this));
                }
            }
        }

        return result;
    }
}

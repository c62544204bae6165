using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;

namespace Boma.Pulumi.Serialization;

/// <summary>Fills a custom resource's [Output] properties with outputs that resolve from the engine's response.</summary>
internal static class OutputFiller
{
    private static readonly MethodInfo CreateMethod = typeof(OutputFiller).GetMethod(nameof(Create), BindingFlags.Static | BindingFlags.NonPublic)!;

    // One scan per resource type: reflection over attributes would otherwise dominate a registration.
    private static readonly ConcurrentDictionary<Type, OutputSlot[]> Slots = new();

    /// <summary>One [Output] property: its setter, the output factory for its element type, its wire name.</summary>
    private sealed record OutputSlot(PropertyInfo Property, Func<Resource, string, object> Create, string WireName);

    public static void Fill(Resource resource)
    {
        foreach (var slot in Slots.GetOrAdd(resource.GetType(), Scan))
        {
            slot.Property.SetValue(resource, slot.Create(resource, slot.WireName));
        }
    }

    private static OutputSlot[] Scan(System.Type type)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var slots = new List<OutputSlot>();
        for (var t = type; t is not null && t != typeof(Resource); t = t.BaseType)
        {
            foreach (var p in t.GetProperties(flags))
            {
                if (p.GetCustomAttribute<OutputAttribute>() is not { } attr)
                {
                    continue;
                }

                if (!p.PropertyType.IsGenericType || p.PropertyType.GetGenericTypeDefinition() != typeof(Output<>))
                {
                    throw new InvalidOperationException($"[Output] property {t.Name}.{p.Name} must be an Output<T>.");
                }

                _ = p.GetSetMethod(nonPublic: true)
                    ?? throw new InvalidOperationException($"[Output] property {t.Name}.{p.Name} needs a (private) setter.");
                var element = p.PropertyType.GetGenericArguments()[0];
                var create = CreateMethod.MakeGenericMethod(element).CreateDelegate<Func<Resource, string, object>>();
                slots.Add(new OutputSlot(p, create, attr.Name ?? CamelCase(p.Name)));
            }
        }

        return [.. slots];
    }

    private static string Context(Resource resource, string wireName) =>
        $"output '{wireName}' of {resource.GetResourceType()} '{resource.GetResourceName()}'";

    public static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    // The string id can fail only when the registration does, which the run tracks; every other output is tracked
    // (its conversion can fail on its own).
    private static Output<T> Create<T>(Resource resource, string wireName) =>
        new(ResolveAsync<T>(resource, wireName), track: !(typeof(T) == typeof(string) && wireName == Constants.IdPropertyName));

    private static async Task<OutputData<T>> ResolveAsync<T>(Resource resource, string wireName)
    {
        var result = await resource.Registration.ConfigureAwait(false);
        var self = resource.Self;
        if (wireName == Constants.IdPropertyName)
        {
            var idKnown = result.Id.Length > 0 && !Deserializer.IsUnknown(result.Id);
            return idKnown
                ? new OutputData<T>((T)(object)result.Id, true, false, self)
                : OutputData<T>.Unknown(false, self);
        }

        if (!result.Object.Fields.TryGetValue(wireName, out var value))
        {
            // Missing: not computed yet in a preview; simply absent in an update.
            return result.KeepUnknowns
                ? OutputData<T>.Unknown(false, self)
                : new OutputData<T>((T)Converter.Convert(null, typeof(T), Context(resource, wireName))!, true, false, self);
        }

        var data = Deserializer.Deserialize(value, result.KeepUnknowns);
        if (!data.IsKnown)
        {
            return OutputData<T>.Unknown(data.IsSecret, self);
        }

        // Most outputs are strings that arrive as strings: no conversion, and no error context built for them.
        var converted = typeof(T) == typeof(string) && data.Value is T text
            ? text
            : (T)Converter.Convert(data.Value, typeof(T), Context(resource, wireName))!;
        return new OutputData<T>(converted, true, data.IsSecret, self);
    }
}

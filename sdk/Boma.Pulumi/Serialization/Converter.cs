using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Boma.Pulumi.Serialization;

/// <summary>Converts plain deserialized values into the declared types of [Output] properties.</summary>
internal static class Converter
{
    public static object? Convert(object? value, Type target, string context)
    {
        if (target == typeof(object))
        {
            return value;
        }

        if (Nullable.GetUnderlyingType(target) is { } underlying)
        {
            return value is null ? null : Convert(value, underlying, context);
        }

        if (target.IsGenericType)
        {
            var def = target.GetGenericTypeDefinition();
            var args = target.GetGenericArguments();
            if (def == typeof(ImmutableArray<>))
            {
                return ConvertList(value, args[0], context);
            }

            if (def == typeof(List<>) || def == typeof(IReadOnlyList<>) || def == typeof(IList<>) || def == typeof(IEnumerable<>))
            {
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                foreach (var item in AsList(value, context))
                {
                    list.Add(Convert(item, args[0], context));
                }

                return list;
            }

            if (def == typeof(ImmutableDictionary<,>) || def == typeof(Dictionary<,>) || def == typeof(IReadOnlyDictionary<,>) || def == typeof(IDictionary<,>))
            {
                return ConvertMap(value, args[1], def == typeof(ImmutableDictionary<,>) || def == typeof(IReadOnlyDictionary<,>), context);
            }
        }

        if (value is null)
        {
            return target.IsValueType ? Activator.CreateInstance(target) : null;
        }

        if (target.IsInstanceOfType(value))
        {
            return value;
        }

        if (target == typeof(string))
        {
            return value switch
            {
                double d => d.ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => throw Mismatch(value, target, context),
            };
        }

        if (target == typeof(double) || target == typeof(int) || target == typeof(long) || target == typeof(float) || target == typeof(decimal))
        {
            var number = value switch
            {
                double d => d,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => throw Mismatch(value, target, context),
            };
            return System.Convert.ChangeType(number, target, CultureInfo.InvariantCulture);
        }

        if (target == typeof(bool))
        {
            return value switch
            {
                string s when bool.TryParse(s, out var parsed) => parsed,
                _ => throw Mismatch(value, target, context),
            };
        }

        if (target == typeof(JsonElement))
        {
            return JsonSerializer.SerializeToElement(value);
        }

        if (target.GetCustomAttribute<OutputTypeAttribute>() is not null)
        {
            return ConvertOutputType(value, target, context);
        }

        throw Mismatch(value, target, context);
    }

    private static object ConvertOutputType(object value, Type target, string context)
    {
        if (value is not Dictionary<string, object?> dict)
        {
            throw Mismatch(value, target, context);
        }

        var ctor = target.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .FirstOrDefault(c => c.GetCustomAttribute<OutputConstructorAttribute>() is not null)
            ?? throw new InvalidOperationException($"{target.Name} is marked [OutputType] but has no [OutputConstructor] constructor.");
        var parameters = ctor.GetParameters();
        var args = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            dict.TryGetValue(p.Name!, out var raw);
            args[i] = Convert(raw, p.ParameterType, $"{context}.{p.Name}");
        }

        return ctor.Invoke(args);
    }

    private static object ConvertList(object? value, Type element, string context)
    {
        var items = AsList(value, context);
        return typeof(Converter).GetMethod(nameof(ToImmutableArrayOf), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(element).Invoke(null, [items, context])!;
    }

    private static ImmutableArray<TElement> ToImmutableArrayOf<TElement>(List<object?> items, string context) =>
        [.. items.Select((item, i) => (TElement)Convert(item, typeof(TElement), $"{context}[{i}]")!)];

    private static ImmutableDictionary<string, TValue> ToImmutableDictionaryOf<TValue>(Dictionary<string, object?> items, string context) =>
        items.ToImmutableDictionary(p => p.Key, p => (TValue)Convert(p.Value, typeof(TValue), $"{context}.{p.Key}")!, StringComparer.Ordinal);

    private static List<object?> AsList(object? value, string context) => value switch
    {
        null => [],
        List<object?> list => list,
        _ => throw Mismatch(value, typeof(List<object?>), context),
    };

    private static object ConvertMap(object? value, Type valueType, bool immutable, string context)
    {
        var dict = value switch
        {
            null => new Dictionary<string, object?>(),
            Dictionary<string, object?> d => d,
            _ => throw Mismatch(value, typeof(Dictionary<string, object?>), context),
        };
        if (immutable)
        {
            return typeof(Converter).GetMethod(nameof(ToImmutableDictionaryOf), BindingFlags.Static | BindingFlags.NonPublic)!
                .MakeGenericMethod(valueType).Invoke(null, [dict, context])!;
        }

        var typed = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType), StringComparer.Ordinal)!;
        foreach (var (k, v) in dict)
        {
            typed[k] = Convert(v, valueType, $"{context}.{k}");
        }

        return typed;
    }

    // Names the type only: the value may be a secret, and this message ends up in the engine's log.
    private static InvalidOperationException Mismatch(object? value, Type target, string context) =>
        new($"{context}: the engine returned a {value?.GetType().Name ?? "null"} where {target.Name} was declared.");
}

using System.Globalization;
using System.Reflection;

namespace Boma.Pulumi.Providers;

/// <summary>
/// The value checks typed Args run in <see cref="ResourceArgs.Validate"/>. Each message names the
/// input (as a wire path such as <c>rules[1].port</c>), what is wrong and the fix; the SDK adds
/// the resource type and name and throws before anything is registered. Values that are not
/// known yet (outputs of other resources) are not checked here — the provider checks them.
/// </summary>
public static class ProviderChecks
{
    /// <summary>Adds "path: problem. Fix: fix".</summary>
    public static void Fail(List<string> errors, string path, string problem, string fix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Add($"{path}: {problem}. Fix: {fix}.");
    }

    /// <summary>
    /// The provider auto-names the resource when <c>name</c> is unset; boma always names explicitly.
    /// </summary>
    public static void ExplicitName(List<string> errors, Input<string>? name, string why)
    {
        if (name is null)
        {
            Fail(errors, "name", $"not set, and {why}", "set Name explicitly (boma never lets a provider invent names)");
        }
        else if (KnownValue.TryGet(name, out var value) && string.IsNullOrWhiteSpace(value))
        {
            Fail(errors, "name", "is empty", "set Name to the real name of the object");
        }
    }

    /// <summary>A string input restricted to the schema's enum values.</summary>
    public static void OneOf(List<string> errors, string name, Input<string>? value, params string[] allowed)
    {
        if (value is not null && KnownValue.TryGet(value, out var text, out var secret) && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Fail(errors, name, $"{Show(text, secret)} is not an allowed value", $"use one of {string.Join(", ", allowed)}");
        }
    }

    /// <summary>
    /// Checks every known element of a list of objects: its required inputs, its own Validate()
    /// and its nested objects, with messages prefixed by <c>name[index]</c>. The SDK checks nested
    /// objects but not list elements, hence this.
    /// </summary>
    public static void NestedList<T>(List<string> errors, string name, InputList<T>? list)
        where T : ResourceArgs
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (list is null || !KnownValue.TryGetList(list, out var items))
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item)
            {
                CheckObject(errors, string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]"), item);
            }
        }
    }

    private static void CheckObject(List<string> errors, string prefix, ResourceArgs args)
    {
        foreach (var property in args.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<InputAttribute>() is not { } input)
            {
                continue;
            }

            var value = property.GetValue(args);
            if (value is null)
            {
                if (input.IsRequired)
                {
                    Fail(errors, $"{prefix}.{input.Name}", "required input is not set", $"set {property.Name}");
                }
            }
            else if (KnownArgs(value) is { } nested)
            {
                CheckObject(errors, $"{prefix}.{input.Name}", nested);
            }
        }

        errors.AddRange(args.Validate().Select(message => $"{prefix}.{message}"));
    }

    // A nested object given as a plain value (Input<XArgs> holding it); null when behind a pending output.
    private static ResourceArgs? KnownArgs(object value)
    {
        var type = value.GetType();
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Input<>) || !typeof(ResourceArgs).IsAssignableFrom(type.GetGenericArguments()[0]))
        {
            return null;
        }

        var read = typeof(ProviderChecks).GetMethod(nameof(ReadArgs), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type.GetGenericArguments()[0]);
        return (ResourceArgs?)read.Invoke(null, [value]);
    }

    private static ResourceArgs? ReadArgs<T>(Input<T> input)
        where T : ResourceArgs =>
        KnownValue.TryGet(input, out var value) ? value : null;

    /// <summary>An integer input that must lie in [min, max] when known.</summary>
    public static void Range(List<string> errors, string name, Input<int>? value, int min, int max, string fix)
    {
        if (value is not null && KnownValue.TryGet(value, out var number, out var secret) && (number < min || number > max))
        {
            Fail(errors, name, string.Create(CultureInfo.InvariantCulture, $"{Show(number, secret)} is outside {min}..{max}"), fix);
        }
    }

    /// <summary>How a value appears in a message: never the value itself when it is secret.</summary>
    public static string Show<T>(T value, bool isSecret) =>
        isSecret ? "[secret]" : value is string text ? $"\"{text}\"" : string.Create(CultureInfo.InvariantCulture, $"{value}");

    internal static string Pascal(string name) =>
        name.Length == 0 ? name : string.Concat(char.ToUpperInvariant(name[0]).ToString(), name.AsSpan(1));
}

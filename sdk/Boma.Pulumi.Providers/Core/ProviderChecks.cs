using System.Globalization;

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

    /// <summary>A required input of a nested type is missing.</summary>
    public static void Required(List<string> errors, string name, object? value)
    {
        if (value is null)
        {
            Fail(errors, name, "required input is not set", $"set {Pascal(name)}");
        }
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

    /// <summary>Runs a nested object's own checks, prefixing its messages with the property path.</summary>
    public static void Nested<T>(List<string> errors, string name, Input<T>? value)
        where T : ResourceArgs
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is not null && KnownValue.TryGet(value, out var args) && args is not null)
        {
            errors.AddRange(args.Validate().Select(message => $"{name}.{message}"));
        }
    }

    /// <summary>Runs every known element's checks, prefixing messages with <c>name[index]</c>.</summary>
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
                var prefix = string.Create(CultureInfo.InvariantCulture, $"{name}[{i}]");
                errors.AddRange(item.Validate().Select(message => $"{prefix}.{message}"));
            }
        }
    }

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

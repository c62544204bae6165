using NUnit.Framework;
using System.Reflection;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>
/// Sets a plain value on every scalar or object input of an Args class (and its nested Args) and
/// checks that what the property holds afterwards is secret exactly when the schema says so —
/// except inside an input that is itself secret, where fields stay plain as in the Node SDK.
/// </summary>
internal static class SecretFlags
{
    public static async Task CheckAsync(
        Type args,
        IReadOnlyDictionary<string, SchemaProperty> schema,
        SchemaSubset subset,
        string where,
        HashSet<(Type, bool)> checkedTypes,
        List<string> problems,
        bool underSecret = false)
    {
        if (!checkedTypes.Add((args, underSecret)))
        {
            return;
        }

        foreach (var property in args.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<InputAttribute>() is not { } input || !schema.TryGetValue(input.Name, out var expected))
            {
                continue;
            }

            var path = $"{where} input {input.Name}";
            var type = property.PropertyType;
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Input<>))
            {
                if (expected.Secret)
                {
                    problems.Add($"{path}: secret in the schema but a list/map input cannot be wrapped");
                }

                continue;
            }

            var element = type.GetGenericArguments()[0];
            var plain = SampleOf(element);
            var instance = Activator.CreateInstance(args)!;
            var wrapped = type.GetMethod("op_Implicit", [element])!.Invoke(null, [plain]);
            property.SetValue(instance, wrapped);
            var held = property.GetValue(instance)!;
            var output = type.GetMethod("ToOutput")!.Invoke(held, null)!;
            var isSecretTask = (Task<bool>)typeof(Output).GetMethod(nameof(Output.IsSecretAsync))!
                .MakeGenericMethod(element).Invoke(null, [output])!;
            var isSecret = await isSecretTask;
            // Inside a secret input the fields are not wrapped again (as the generated Node SDK sends them).
            var wanted = expected.Secret && !underSecret;
            if (isSecret != wanted)
            {
                problems.Add($"{path}: a plain value set on {args.Name}.{property.Name} is {(isSecret ? "" : "not ")}secret; expected {wanted} (schema secret: {expected.Secret}, inside a secret: {underSecret})");
            }

            if (expected.Type.StartsWith("ref:", StringComparison.Ordinal) && subset.Types.TryGetValue(expected.Type[4..], out var nested))
            {
                await CheckAsync(element, nested, subset, expected.Type[4..], checkedTypes, problems, underSecret || expected.Secret);
            }
        }

        // Objects only reachable through lists are checked too.
        foreach (var property in args.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<InputAttribute>() is { } input && schema.TryGetValue(input.Name, out var expected)
                && expected.Type.StartsWith("array<ref:", StringComparison.Ordinal)
                && subset.Types.TryGetValue(expected.Type["array<ref:".Length..^1], out var nested))
            {
                await CheckAsync(property.PropertyType.GetGenericArguments()[0], nested, subset, expected.Type["array<ref:".Length..^1], checkedTypes, problems, underSecret || expected.Secret);
            }
        }
    }

    private static object SampleOf(Type type) => type switch
    {
        _ when type == typeof(string) => "sample",
        _ when type == typeof(int) => 7,
        _ when type == typeof(double) => 7.0,
        _ when type == typeof(bool) => true,
        _ when type == typeof(object) => "sample",
        _ when type == typeof(AssetOrArchive) => new StringAsset("sample"),
        _ when type == typeof(Archive) => new FileArchive("."),
        _ when typeof(ResourceArgs).IsAssignableFrom(type) => Activator.CreateInstance(type)!,
        _ when type.IsDefined(typeof(EnumTypeAttribute), false) => type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static).First().GetValue(null)!,
        _ => throw new InvalidOperationException($"no sample value for {type}"),
    };
}

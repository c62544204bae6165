using NUnit.Framework;
using System.Collections.Immutable;
using System.Reflection;
using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>
/// Compares a typed provider class (its Args, nested Inputs/Outputs classes and [Output]
/// properties) with the package's schema subset by reflection, and lists every mismatch.
/// </summary>
internal sealed class SchemaConformance
{
    // VmLegacy has hundreds of inputs; the class exposes what boma needs. Each exposed input must
    // still match exactly, and these must be among them (the disks/NICs/cloud-init).
    public static readonly IReadOnlyDictionary<string, string[]> PartialResources = new Dictionary<string, string[]>
    {
        ["proxmoxve:index/vmLegacy:VmLegacy"] = ["name", "nodeName", "vmId", "disks", "networkDevices", "initialization", "agent", "cpu", "memory"],
    };

    private readonly SchemaSubset _subset;
    private readonly List<string> _problems = [];
    private readonly HashSet<Type> _checkedTypes = [];
    private readonly NullabilityInfoContext _nullability = new();

    private SchemaConformance(SchemaSubset subset)
    {
        _subset = subset;
    }

    /// <summary>Every typed resource class (providers included) of a package.</summary>
    public static IEnumerable<Type> ClassesOf(string package) =>
        typeof(PackageVersions).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(CustomResource).IsAssignableFrom(t))
            .Where(t => TokenOf(t) is { } token && (token.StartsWith(package + ":", StringComparison.Ordinal) || token == "pulumi:providers:" + package))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    public static string TokenOf(Type resource) =>
        (string)resource.GetField("TypeToken", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;

    public static Type ArgsTypeOf(Type resource) =>
        resource.GetConstructors().Single().GetParameters()[1].ParameterType;

    /// <summary>All mismatches between the class and the subset; empty when it conforms.</summary>
    public static IReadOnlyList<string> Check(Type resource, SchemaSubset subset)
    {
        var checker = new SchemaConformance(subset);
        checker.CheckResource(resource);
        return checker._problems;
    }

    private void CheckResource(Type resource)
    {
        var token = TokenOf(resource);
        var isProvider = token.StartsWith("pulumi:providers:", StringComparison.Ordinal);
        SchemaResource schema;
        if (isProvider)
        {
            schema = _subset.Provider;
        }
        else if (!_subset.Resources.TryGetValue(token, out schema!))
        {
            _problems.Add($"{token}: token is not in the {_subset.Package} {_subset.Version} schema");
            return;
        }

        var partial = PartialResources.TryGetValue(token, out var mustHave);
        var args = ArgsTypeOf(resource);
        var inputs = CheckInputs(args, schema.Inputs, token, complete: !partial, providerConfig: isProvider);
        foreach (var name in mustHave ?? [])
        {
            if (!inputs.Contains(name))
            {
                _problems.Add($"{token}: boma needs input {name} but {args.Name} does not expose it");
            }
        }

        // A provider's outputs are its JSON-encoded config: only the string ones are typed (as in the generated SDKs).
        var expectedOutputs = isProvider
            ? schema.Outputs.Where(o => o.Value.Type == "string").ToDictionary(o => o.Key, o => o.Value)
            : schema.Outputs.ToDictionary(o => o.Key, o => o.Value);
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in resource.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<OutputAttribute>() is not { } attribute || property.DeclaringType != resource)
            {
                continue;
            }

            var name = attribute.Name ?? property.Name;
            outputs.Add(name);
            var path = $"{token} output {name}";
            if (!expectedOutputs.TryGetValue(name, out var expected))
            {
                _problems.Add($"{path}: not an output in the schema");
                continue;
            }

            if (!property.PropertyType.IsGenericType || property.PropertyType.GetGenericTypeDefinition() != typeof(Output<>))
            {
                _problems.Add($"{path}: {property.PropertyType} is not an Output<T>");
                continue;
            }

            var info = _nullability.Create(property).GenericTypeArguments[0];
            CheckOutputType(property.PropertyType.GetGenericArguments()[0], info, expected.Type, expected.Required, path);
        }

        var missing = partial
            ? expectedOutputs.Keys.Where(n => inputs.Contains(n) && !outputs.Contains(n))
            : expectedOutputs.Keys.Where(n => !outputs.Contains(n));
        foreach (var name in missing)
        {
            _problems.Add($"{token}: schema output {name} has no [Output] property");
        }
    }

    private HashSet<string> CheckInputs(Type args, IReadOnlyDictionary<string, SchemaProperty> schema, string where, bool complete, bool providerConfig)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!typeof(ResourceArgs).IsAssignableFrom(args))
        {
            _problems.Add($"{where}: {args} does not derive from ResourceArgs");
            return seen;
        }

        foreach (var property in args.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<InputAttribute>() is not { } attribute)
            {
                continue;
            }

            seen.Add(attribute.Name);
            var path = $"{where} input {attribute.Name}";
            if (!schema.TryGetValue(attribute.Name, out var expected))
            {
                _problems.Add($"{path}: not an input in the schema");
                continue;
            }

            CheckInputType(property.PropertyType, expected.Type, path);
            if (attribute.IsRequired != expected.Required)
            {
                _problems.Add($"{path}: required is {attribute.IsRequired}, schema says {expected.Required}");
            }

            // Bridged providers take non-string config as JSON strings.
            var json = providerConfig && expected.Type != "string";
            if (attribute.Json != json)
            {
                _problems.Add($"{path}: json is {attribute.Json}, expected {json}");
            }
        }

        foreach (var name in schema.Keys.Where(n => !seen.Contains(n)))
        {
            if (complete)
            {
                _problems.Add($"{where}: schema input {name} has no [Input] property on {args.Name}");
            }
        }

        return seen;
    }

    private void CheckInputType(Type actual, string notation, string path)
    {
        if (notation.StartsWith("array<", StringComparison.Ordinal))
        {
            ExpectGeneric(actual, typeof(InputList<>), path, e => CheckInputElement(e, notation[6..^1], path + "[]"));
        }
        else if (notation.StartsWith("map<", StringComparison.Ordinal))
        {
            ExpectGeneric(actual, typeof(InputMap<>), path, e => CheckInputElement(e, notation[4..^1], path + "{}"));
        }
        else
        {
            ExpectGeneric(actual, typeof(Input<>), path, e => CheckInputElement(e, notation, path));
        }
    }

    private void CheckInputElement(Type actual, string notation, string path)
    {
        if (notation.StartsWith("ref:", StringComparison.Ordinal))
        {
            var token = notation[4..];
            if (_subset.Enums.ContainsKey(token))
            {
                // Typed as the generated SDKs type enums: an [EnumType] struct named after the token.
                if (!actual.IsValueType || actual.Name != token.Split(':')[2] || !actual.IsDefined(typeof(EnumTypeAttribute), false))
                {
                    _problems.Add($"{path}: expected the [EnumType] struct {token.Split(':')[2]} for {token}, found {actual.FullName}");
                }

                return;
            }

            var expectedName = token.Split(':')[2] + "Args";
            if (actual.Name != expectedName || actual.Namespace?.EndsWith(".Inputs", StringComparison.Ordinal) != true)
            {
                _problems.Add($"{path}: expected Inputs.{expectedName} for {token}, found {actual.FullName}");
                return;
            }

            if (_checkedTypes.Add(actual))
            {
                CheckInputs(actual, _subset.Types[token], token, complete: true, providerConfig: false);
            }

            return;
        }

        if (notation.StartsWith("array<", StringComparison.Ordinal))
        {
            ExpectGeneric(actual, typeof(ImmutableArray<>), path, e => CheckOutputType(e, null, notation[6..^1], true, path + "[]"));
            return;
        }

        Expect(actual, Scalar(notation, path), path);
    }

    private void CheckOutputType(Type actual, NullabilityInfo? info, string notation, bool required, string path)
    {
        var isArray = notation.StartsWith("array<", StringComparison.Ordinal);
        // Required outputs are non-nullable, optional ones nullable, except lists (empty when absent).
        var wantNullable = !required && !isArray;
        var underlying = Nullable.GetUnderlyingType(actual);
        var isNullable = underlying is not null || (!actual.IsValueType && info?.ReadState == NullabilityState.Nullable);
        if (info is not null || underlying is not null || actual.IsValueType)
        {
            if (isNullable != wantNullable)
            {
                _problems.Add($"{path}: nullable is {isNullable}, expected {wantNullable} (required: {required})");
            }
        }

        var type = underlying ?? actual;
        if (isArray)
        {
            ExpectGeneric(type, typeof(ImmutableArray<>), path, e => CheckOutputType(e, info?.GenericTypeArguments.FirstOrDefault(), notation[6..^1], true, path + "[]"));
        }
        else if (notation.StartsWith("map<", StringComparison.Ordinal))
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(ImmutableDictionary<,>) || type.GetGenericArguments()[0] != typeof(string))
            {
                _problems.Add($"{path}: expected ImmutableDictionary<string, …>, found {type}");
                return;
            }

            CheckOutputType(type.GetGenericArguments()[1], info?.GenericTypeArguments.ElementAtOrDefault(1), notation[4..^1], true, path + "{}");
        }
        else if (notation.StartsWith("ref:", StringComparison.Ordinal))
        {
            var token = notation[4..];
            if (_subset.Enums.ContainsKey(token))
            {
                Expect(type, typeof(string), path);
                return;
            }

            var expectedName = token.Split(':')[2];
            if (type.Name != expectedName || type.GetCustomAttribute<OutputTypeAttribute>() is null)
            {
                _problems.Add($"{path}: expected [OutputType] Outputs.{expectedName} for {token}, found {type.FullName}");
                return;
            }

            if (_checkedTypes.Add(type))
            {
                CheckOutputClass(type, token);
            }
        }
        else
        {
            Expect(type, Scalar(notation, path), path);
        }
    }

    private void CheckOutputClass(Type type, string token)
    {
        var schema = _subset.Types[token];
        var ctor = type.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .SingleOrDefault(c => c.GetCustomAttribute<OutputConstructorAttribute>() is not null);
        if (ctor is null)
        {
            _problems.Add($"{token}: {type.Name} has no [OutputConstructor]");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in ctor.GetParameters())
        {
            names.Add(parameter.Name!);
            var path = $"{token} field {parameter.Name}";
            if (!schema.TryGetValue(parameter.Name!, out var expected))
            {
                _problems.Add($"{path}: not a property in the schema");
                continue;
            }

            CheckOutputType(parameter.ParameterType, _nullability.Create(parameter), expected.Type, expected.Required, path);
        }

        foreach (var name in schema.Keys.Where(n => !names.Contains(n)))
        {
            _problems.Add($"{token}: schema property {name} is not a parameter of {type.Name}'s [OutputConstructor]");
        }
    }

    private Type Scalar(string notation, string path) => notation switch
    {
        "string" => typeof(string),
        "integer" => typeof(int),
        "number" => typeof(double),
        "boolean" => typeof(bool),
        "any" or "json" => typeof(object),
        "asset" => typeof(AssetOrArchive),
        "archive" => typeof(Archive),
        _ => Unsupported(notation, path),
    };

    private Type Unsupported(string notation, string path)
    {
        _problems.Add($"{path}: the test does not know schema type {notation}");
        return typeof(void);
    }

    private void Expect(Type actual, Type expected, string path)
    {
        if (actual != expected)
        {
            _problems.Add($"{path}: expected {expected.Name}, found {actual}");
        }
    }

    private void ExpectGeneric(Type actual, Type definition, string path, Action<Type> element)
    {
        if (!actual.IsGenericType || actual.GetGenericTypeDefinition() != definition)
        {
            _problems.Add($"{path}: expected {definition.Name}, found {actual}");
            return;
        }

        element(actual.GetGenericArguments()[0]);
    }
}

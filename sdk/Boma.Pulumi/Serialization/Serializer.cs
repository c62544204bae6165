using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;

namespace Boma.Pulumi.Serialization;

/// <summary>
/// Turns C# input values into protobuf <see cref="Value"/>s, awaiting outputs and collecting the resources
/// they depend on. Unknowns become the sentinel; known secrets are wrapped with the secret signature.
/// </summary>
internal sealed class Serializer
{
    private readonly bool _keepSecrets;
    private readonly bool _keepResources;

    public Serializer(bool keepSecrets = true, bool keepResources = true)
    {
        _keepSecrets = keepSecrets;
        _keepResources = keepResources;
    }

    /// <summary>Serializes the [Input] members of <paramref name="args"/>; returns the object and per-key dependencies.</summary>
    public async Task<(Struct Object, Dictionary<string, HashSet<Resource>> PropertyDependencies)> SerializeArgsAsync(ResourceArgs args, string context)
    {
        var obj = new Struct();
        var deps = new Dictionary<string, HashSet<Resource>>(StringComparer.Ordinal);
        foreach (var (attr, member) in args.InputMembers())
        {
            var value = ResourceArgs.GetValue(member, args);
            if (value is null)
            {
                continue;
            }

            var propertyDeps = new HashSet<Resource>();
            var serialized = attr.Json
                ? await SerializeJsonAsync(value, propertyDeps, $"{context} input '{attr.Name}'").ConfigureAwait(false)
                : await SerializeAsync(value, propertyDeps, $"{context} input '{attr.Name}'").ConfigureAwait(false);
            if (serialized.KindCase == Value.KindOneofCase.NullValue)
            {
                // Resolved to nothing: left out with its dependencies, as the official SDK does (and Node for undefined).
                continue;
            }

            obj.Fields[attr.Name] = serialized;
            deps[attr.Name] = propertyDeps;
        }

        return (obj, deps);
    }

    /// <summary>Serializes one value.</summary>
    /// <remarks>
    /// An input or output goes straight to the method that awaits it, without a state machine of this method's
    /// around it: a registration waiting for another resource's output holds that chain until the end.
    /// </remarks>
    public Task<Value> SerializeAsync(object? prop, HashSet<Resource> deps, string context) => prop switch
    {
        IInput input => SerializeInputAsync(input, deps, context),
        IOutput output => SerializeOutputAsync(output, deps, context),
        _ => SerializeValueAsync(prop, deps, context),
    };

    private async Task<Value> SerializeValueAsync(object? prop, HashSet<Resource> deps, string context)
    {
        switch (prop)
        {
            case null:
                return Value.ForNull();
            case string s:
                return Value.ForString(s);
            case bool b:
                return Value.ForBool(b);
            case int or long or short or byte or sbyte or uint or ulong or ushort or float or double or decimal:
                return Value.ForNumber(Convert.ToDouble(prop, CultureInfo.InvariantCulture));
            case System.Enum e:
                return Value.ForString(e.ToString());
            case ValueType when prop.GetType().IsDefined(typeof(EnumTypeAttribute), inherit: false):
                return Value.ForString(prop.ToString());
            case ResourceArgs args:
            {
                var (obj, propertyDeps) = await SerializeArgsAsync(args, context).ConfigureAwait(false);
                foreach (var d in propertyDeps.Values)
                {
                    deps.UnionWith(d);
                }

                return Value.ForStruct(obj);
            }

            case AssetOrArchive asset:
                return await SerializeAssetAsync(asset, deps, context).ConfigureAwait(false);
            case Resource resource:
                return await SerializeResourceAsync(resource, deps).ConfigureAwait(false);
            case JsonElement element:
                return FromJson(JsonNode.Parse(element.GetRawText()));
            case JsonNode node:
                return FromJson(node);
            case Value v:
                return v;
            case Struct st:
                return Value.ForStruct(st);
            case IDictionary dictionary:
            {
                var result = new Struct();
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (entry.Key is not string key)
                    {
                        throw new ResourceException($"{context}: map keys must be strings, not {entry.Key.GetType().Name}.", null);
                    }

                    result.Fields[key] = await SerializeAsync(entry.Value, deps, $"{context}.{key}").ConfigureAwait(false);
                }

                return Value.ForStruct(result);
            }

            case IEnumerable enumerable when IsStringKeyedDictionary(prop.GetType()):
            {
                var result = new Struct();
                foreach (var entry in enumerable)
                {
                    var key = (string)entry.GetType().GetProperty("Key")!.GetValue(entry)!;
                    var value = entry.GetType().GetProperty("Value")!.GetValue(entry);
                    result.Fields[key] = await SerializeAsync(value, deps, $"{context}.{key}").ConfigureAwait(false);
                }

                return Value.ForStruct(result);
            }

            case IEnumerable enumerable:
            {
                var list = new ListValue();
                var i = 0;
                foreach (var item in enumerable)
                {
                    list.Values.Add(await SerializeAsync(item, deps, $"{context}[{i++}]").ConfigureAwait(false));
                }

                return Value.ForList([.. list.Values]);
            }

            default:
                throw new ResourceException(
                    $"{context}: a value of type {prop.GetType().Name} cannot be sent to the engine; use strings, numbers, bools, lists, maps, ResourceArgs, assets or resources.", null);
        }
    }

    private Task<Value> SerializeInputAsync(IInput input, HashSet<Resource> deps, string context)
    {
        // Collections built element by element keep their elements apart, like the official SDKs.
        var (itemsProperty, entriesProperty) = CollectionProperties.GetOrAdd(input.GetType(), FindCollectionProperties);
        return itemsProperty is null && entriesProperty is null
            ? SerializeOutputAsync(input.ToUntypedOutput(), deps, context)
            : SerializeCollectionInputAsync(input, itemsProperty, entriesProperty, deps, context);
    }

    private async Task<Value> SerializeCollectionInputAsync(IInput input, PropertyInfo? itemsProperty, PropertyInfo? entriesProperty, HashSet<Resource> deps, string context)
    {
        var listItems = itemsProperty?.GetValue(input);
        if (listItems is IEnumerable items)
        {
            var values = new List<Value>();
            var i = 0;
            foreach (var item in items)
            {
                values.Add(await SerializeAsync(item, deps, $"{context}[{i++}]").ConfigureAwait(false));
            }

            return Value.ForList([.. values]);
        }

        var mapEntries = entriesProperty?.GetValue(input);
        if (mapEntries is IEnumerable entries)
        {
            var result = new Struct();
            foreach (var entry in entries)
            {
                var key = (string)entry.GetType().GetProperty("Key")!.GetValue(entry)!;
                var value = entry.GetType().GetProperty("Value")!.GetValue(entry);
                result.Fields[key] = await SerializeAsync(value, deps, $"{context}.{key}").ConfigureAwait(false);
            }

            return Value.ForStruct(result);
        }

        return await SerializeOutputAsync(input.ToUntypedOutput(), deps, context).ConfigureAwait(false);
    }

    // Looked up once per input type: every resource input passes through here.
    private static readonly ConcurrentDictionary<System.Type, (PropertyInfo? Items, PropertyInfo? Entries)> CollectionProperties = new();

    private static (PropertyInfo? Items, PropertyInfo? Entries) FindCollectionProperties(System.Type type) =>
        (type.GetProperty("Items", BindingFlags.Instance | BindingFlags.NonPublic),
         type.GetProperty("Entries", BindingFlags.Instance | BindingFlags.NonPublic));

    private async Task<Value> SerializeOutputAsync(IOutput output, HashSet<Resource> deps, string context)
    {
        await output.Completion.ConfigureAwait(false);
        var data = output.CompletedData();
        deps.UnionWith(data.Resources);
        if (!data.IsKnown)
        {
            // A secret unknown keeps its secret marker around the sentinel, as the Node SDK (3.270) sends it,
            // so the engine knows the eventual value is secret.
            var unknown = Value.ForString(Constants.UnknownValue);
            return data.IsSecret && _keepSecrets ? WrapSecret(unknown) : unknown;
        }

        var inner = await SerializeAsync(data.Value, deps, context).ConfigureAwait(false);
        return data.IsSecret && _keepSecrets ? WrapSecret(inner) : inner;
    }

    private async Task<Value> SerializeAssetAsync(AssetOrArchive asset, HashSet<Resource> deps, string context)
    {
        var obj = new Struct();
        obj.Fields[Constants.SpecialSigKey] = Value.ForString(asset.Sig);
        obj.Fields[asset.PropertyName] = asset.Value is string s
            ? Value.ForString(s)
            : await SerializeAsync(asset.Value, deps, context).ConfigureAwait(false);
        return Value.ForStruct(obj);
    }

    private async Task<Value> SerializeResourceAsync(Resource resource, HashSet<Resource> deps)
    {
        deps.Add(resource);
        var result = await resource.Registration.ConfigureAwait(false);
        var id = string.IsNullOrEmpty(result.Id) ? Constants.UnknownValue : result.Id;
        if (!_keepResources)
        {
            return Value.ForString(resource.IsCustom ? id : result.Urn);
        }

        var obj = new Struct();
        obj.Fields[Constants.SpecialSigKey] = Value.ForString(Constants.ResourceSig);
        obj.Fields[Constants.UrnPropertyName] = Value.ForString(result.Urn);
        if (resource.IsCustom)
        {
            obj.Fields[Constants.IdPropertyName] = Value.ForString(id);
        }

        return Value.ForStruct(obj);
    }

    /// <summary>A json:true input: the value as JSON text; unknown if any part is unknown, secret if any part is secret.</summary>
    private async Task<Value> SerializeJsonAsync(object value, HashSet<Resource> deps, string context)
    {
        var wire = await new Serializer(keepSecrets: true, keepResources: false).SerializeAsync(value, deps, context).ConfigureAwait(false);
        var secret = false;
        var known = true;
        var plain = WireJson.ToPlainJson(wire, ref secret, ref known);
        if (!known)
        {
            var unknown = Value.ForString(Constants.UnknownValue);
            return secret && _keepSecrets ? WrapSecret(unknown) : unknown;
        }

        var text = Value.ForString(plain?.ToJsonString() ?? "null");
        return secret && _keepSecrets ? WrapSecret(text) : text;
    }

    public static Value WrapSecret(Value inner)
    {
        var obj = new Struct();
        obj.Fields[Constants.SpecialSigKey] = Value.ForString(Constants.SecretSig);
        obj.Fields[Constants.ValueName] = inner;
        return Value.ForStruct(obj);
    }

    /// <summary>Plain JSON to a protobuf value (no special objects).</summary>
    public static Value FromJson(JsonNode? node) => node switch
    {
        null => Value.ForNull(),
        JsonObject o => Value.ForStruct(StructOf(o)),
        JsonArray a => Value.ForList([.. a.Select(FromJson)]),
        JsonValue v when v.TryGetValue<bool>(out var b) => Value.ForBool(b),
        JsonValue v when v.TryGetValue<string>(out var s) => Value.ForString(s),
        JsonValue v => Value.ForNumber(v.GetValue<double>()),
        _ => Value.ForNull(),
    };

    private static Struct StructOf(JsonObject o)
    {
        var s = new Struct();
        foreach (var (k, v) in o)
        {
            s.Fields[k] = FromJson(v);
        }

        return s;
    }

    private static bool IsStringKeyedDictionary(System.Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            && i.GetGenericArguments()[0] == typeof(string));
}

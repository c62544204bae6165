using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;

namespace Boma.Pulumi.Serialization;

/// <summary>Protobuf values as System.Text.Json nodes: the wire form (special objects kept) or plain JSON.</summary>
public static class WireJson
{
    /// <summary>The wire form: secrets stay sig objects, unknowns stay the sentinel string.</summary>
    public static JsonNode? ToJson(Value? value) => value?.KindCase switch
    {
        null or Value.KindOneofCase.NullValue or Value.KindOneofCase.None => null,
        Value.KindOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        Value.KindOneofCase.NumberValue => JsonValue.Create(value.NumberValue),
        Value.KindOneofCase.StringValue => JsonValue.Create(value.StringValue),
        Value.KindOneofCase.ListValue => new JsonArray([.. value.ListValue.Values.Select(ToJson)]),
        Value.KindOneofCase.StructValue => ToJson(value.StructValue),
        _ => null,
    };

    /// <summary>The wire form of a struct.</summary>
    public static JsonObject ToJson(Struct? value)
    {
        var obj = new JsonObject();
        if (value is null)
        {
            return obj;
        }

        foreach (var (k, v) in value.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            obj[k] = ToJson(v);
        }

        return obj;
    }

    /// <summary>Plain JSON: secrets unwrapped (reported through <paramref name="secret"/>), unknowns reported through <paramref name="known"/>.</summary>
    internal static JsonNode? ToPlainJson(Value value, ref bool secret, ref bool known)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                if (value.StringValue == Constants.UnknownValue || Constants.TypedUnknownValues.Contains(value.StringValue))
                {
                    known = false;
                    return null;
                }

                return JsonValue.Create(value.StringValue);
            case Value.KindOneofCase.ListValue:
            {
                var array = new JsonArray();
                foreach (var item in value.ListValue.Values)
                {
                    array.Add(ToPlainJson(item, ref secret, ref known));
                }

                return array;
            }

            case Value.KindOneofCase.StructValue:
            {
                var fields = value.StructValue.Fields;
                if (fields.TryGetValue(Constants.SpecialSigKey, out var sig) && sig.StringValue == Constants.SecretSig)
                {
                    secret = true;
                    return fields.TryGetValue(Constants.ValueName, out var inner) ? ToPlainJson(inner, ref secret, ref known) : null;
                }

                var obj = new JsonObject();
                foreach (var (k, v) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    obj[k] = ToPlainJson(v, ref secret, ref known);
                }

                return obj;
            }

            default:
                return ToJson(value);
        }
    }
}

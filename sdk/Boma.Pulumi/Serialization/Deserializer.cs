using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;

namespace Boma.Pulumi.Serialization;

/// <summary>
/// Turns protobuf values from the engine into plain .NET values (string, double, bool, null,
/// <c>List&lt;object?&gt;</c>, <c>Dictionary&lt;string, object?&gt;</c>, assets), lifting secrecy and unknowns to the top.
/// </summary>
internal static class Deserializer
{
    /// <param name="keepUnknowns">Preview (or a failed step): the sentinel means unknown. Otherwise it reads as null.</param>
    public static OutputData<object?> Deserialize(Value value, bool keepUnknowns)
    {
        var known = true;
        var secret = false;
        var result = Walk(value, keepUnknowns, ref known, ref secret);
        return known
            ? new OutputData<object?>(result, true, secret, ImmutableHashSet<Resource>.Empty)
            : OutputData<object?>.Unknown(secret, ImmutableHashSet<Resource>.Empty);
    }

    internal static bool IsUnknown(string s) => s == Constants.UnknownValue || Constants.TypedUnknownValues.Contains(s);

    private static object? Walk(Value value, bool keepUnknowns, ref bool known, ref bool secret)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.NullValue:
            case Value.KindOneofCase.None:
                return null;
            case Value.KindOneofCase.BoolValue:
                return value.BoolValue;
            case Value.KindOneofCase.NumberValue:
                return value.NumberValue;
            case Value.KindOneofCase.StringValue:
                if (IsUnknown(value.StringValue))
                {
                    known &= !keepUnknowns;
                    return null;
                }

                return value.StringValue;
            case Value.KindOneofCase.ListValue:
            {
                var list = new List<object?>(value.ListValue.Values.Count);
                foreach (var item in value.ListValue.Values)
                {
                    list.Add(Walk(item, keepUnknowns, ref known, ref secret));
                }

                return list;
            }

            case Value.KindOneofCase.StructValue:
                return WalkStruct(value.StructValue, keepUnknowns, ref known, ref secret);
            default:
                return null;
        }
    }

    private static object? WalkStruct(Struct s, bool keepUnknowns, ref bool known, ref bool secret)
    {
        var fields = s.Fields;
        if (fields.TryGetValue(Constants.SpecialSigKey, out var sigValue))
        {
            var sig = sigValue.StringValue;
            switch (sig)
            {
                case Constants.SecretSig:
                    secret = true;
                    return fields.TryGetValue(Constants.ValueName, out var secretValue)
                        ? Walk(secretValue, keepUnknowns, ref known, ref secret)
                        : null;
                case Constants.OutputValueSig:
                    if (fields.TryGetValue(Constants.SecretName, out var isSecret) && isSecret.BoolValue)
                    {
                        secret = true;
                    }

                    if (!fields.TryGetValue(Constants.ValueName, out var outputValue))
                    {
                        known &= !keepUnknowns;
                        return null;
                    }

                    return Walk(outputValue, keepUnknowns, ref known, ref secret);
                case Constants.ResourceSig:
                {
                    // References come back as the ID (custom resources) or the URN (components).
                    if (fields.TryGetValue(Constants.IdPropertyName, out var id) && id.KindCase == Value.KindOneofCase.StringValue)
                    {
                        if (id.StringValue.Length == 0 || IsUnknown(id.StringValue))
                        {
                            known &= !keepUnknowns;
                            return null;
                        }

                        return id.StringValue;
                    }

                    return fields.TryGetValue(Constants.UrnPropertyName, out var urn) ? urn.StringValue : null;
                }

                case Constants.AssetSig:
                    if (fields.TryGetValue(Constants.AssetTextName, out var text))
                    {
                        return new StringAsset(text.StringValue);
                    }

                    if (fields.TryGetValue(Constants.AssetOrArchivePathName, out var assetPath))
                    {
                        return new FileAsset(assetPath.StringValue);
                    }

                    return new RemoteAsset(fields.TryGetValue(Constants.AssetOrArchiveUriName, out var assetUri) ? assetUri.StringValue : "");
                case Constants.ArchiveSig:
                    if (fields.TryGetValue(Constants.ArchiveAssetsName, out var assets) && assets.KindCase == Value.KindOneofCase.StructValue)
                    {
                        var members = new Dictionary<string, AssetOrArchive>(StringComparer.Ordinal);
                        foreach (var (name, member) in assets.StructValue.Fields)
                        {
                            if (Walk(member, keepUnknowns, ref known, ref secret) is AssetOrArchive a)
                            {
                                members[name] = a;
                            }
                        }

                        return new AssetArchive(members);
                    }

                    if (fields.TryGetValue(Constants.AssetOrArchivePathName, out var archivePath))
                    {
                        return new FileArchive(archivePath.StringValue);
                    }

                    return new RemoteArchive(fields.TryGetValue(Constants.AssetOrArchiveUriName, out var archiveUri) ? archiveUri.StringValue : "");
                default:
                    break;
            }
        }

        var dict = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
        foreach (var (k, v) in fields)
        {
            dict[k] = Walk(v, keepUnknowns, ref known, ref secret);
        }

        return dict;
    }
}

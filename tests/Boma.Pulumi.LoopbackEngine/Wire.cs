using Google.Protobuf.WellKnownTypes;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>The few wire sentinels the fake itself produces (values: docs/design/pulumi-protocol.md, "Values on the wire").</summary>
public static class Wire
{
    public const string SigKey = "4dabf18193072939515e22adb298388d";
    public const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";
    public const string Unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    public static Value Secret(Value inner)
    {
        var s = new Struct();
        s.Fields[SigKey] = Value.ForString(SecretSig);
        s.Fields["value"] = inner;
        return Value.ForStruct(s);
    }

    public static bool IsSecret(Value value) =>
        value.KindCase == Value.KindOneofCase.StructValue
        && value.StructValue.Fields.TryGetValue(SigKey, out var sig)
        && sig.StringValue == SecretSig;

    public static bool IsUnknown(Value value) =>
        value.KindCase == Value.KindOneofCase.StringValue && value.StringValue == Unknown;
}

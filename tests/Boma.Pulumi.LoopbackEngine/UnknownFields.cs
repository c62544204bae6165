using System.Reflection;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Boma.Pulumi.LoopbackEngine;

/// <summary>
/// Surfaces top-level fields a request carried that our hand-written protos do not declare, so a
/// field only one SDK sends cannot hide from the comparison just because the fake cannot name it.
/// </summary>
internal static class UnknownFields
{
    public static JsonObject? Describe(IMessage message)
    {
        // Generated messages keep unparsed fields in a private field; there is no public accessor.
        var field = message.GetType().GetField("_unknownFields", BindingFlags.Instance | BindingFlags.NonPublic);
        if (field?.GetValue(message) is not UnknownFieldSet set || set.CalculateSize() == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        set.WriteTo(output);
        output.Flush();
        var bytes = buffer.ToArray();

        var result = new JsonObject();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var start = (int)input.Position;
            input.SkipLastField();
            var end = (int)input.Position;
            var number = WireFormat.GetTagFieldNumber(tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var value = Convert.ToBase64String(bytes, start, end - start);
            result[number] = result[number] is JsonValue previous ? $"{previous.GetValue<string>()},{value}" : value;
        }

        return result;
    }
}

using System.Text.Json.Nodes;

namespace Boma.Pulumi.Tests.Conformance;

/// <summary>Field-by-field differences between two normalised runs, one readable line each.</summary>
internal static class JsonDiff
{
    public const string Absent = "(absent)";

    public static List<string> Compare(JsonNode? expected, JsonNode? actual, string expectedLabel, string actualLabel)
    {
        var differences = new List<string>();
        Walk(string.Empty, expected, actual, expectedLabel, actualLabel, differences);
        return differences;
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, string aLabel, string bLabel, List<string> differences)
    {
        if (a is JsonObject ao && b is JsonObject bo)
        {
            foreach (var key in ao.Select(p => p.Key).Union(bo.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                var child = path.Length == 0 ? key : $"{path} › {key}";
                var inA = ao.TryGetPropertyValue(key, out var av);
                var inB = bo.TryGetPropertyValue(key, out var bv);
                if (inA && inB)
                {
                    Walk(child, av, bv, aLabel, bLabel, differences);
                }
                else
                {
                    differences.Add($"{child}: {aLabel}={(inA ? Show(av) : Absent)}  {bLabel}={(inB ? Show(bv) : Absent)}");
                }
            }

            return;
        }

        if (a is JsonArray aa && b is JsonArray ba && aa.Count == ba.Count)
        {
            for (var i = 0; i < aa.Count; i++)
            {
                Walk($"{path}[{i}]", aa[i], ba[i], aLabel, bLabel, differences);
            }

            return;
        }

        if (!JsonNode.DeepEquals(a, b))
        {
            differences.Add($"{path}: {aLabel}={Show(a)}  {bLabel}={Show(b)}");
        }
    }

    private static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}

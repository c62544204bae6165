using System.Globalization;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>hcloud resource ids are strings on the wire, but inputs that reference them are integers.</summary>
internal static class HcloudIds
{
    public static Output<int> ToInt(Output<string> id, string what) => id.Apply(value =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"the hcloud {what} id '{value}' is not numeric; the hcloud provider returns numeric ids"));
}

using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Boma.Infra.Cli;

/// <summary>
/// The offsite stack outputs the road-warrior runbook is written from — the runbook's contract
/// with <c>stacks/OffsiteStack.cs</c>. Parsed from <c>pulumi stack output --json [--show-secrets]</c>.
/// </summary>
internal sealed record RunbookOutputs(
    string ManagementUrl,
    string DashboardUrl,
    string AskariIpv4,
    string AskariIpv6,
    string AskariMeshIp,
    string RoadWarriorSetupKey,
    string MeshDnsDomain)
{
    /// <summary>The output names, in the order the errors list them.</summary>
    public static readonly ImmutableArray<string> Names =
    [
        "managementUrl", "dashboardUrl", "askariIpv4", "askariIpv6", "askariMeshIp", "roadWarriorSetupKey", "meshDnsDomain",
    ];

    /// <summary>The output that is a secret (Pulumi shows it as this text without --show-secrets).</summary>
    public const string SecretName = "roadWarriorSetupKey";

    public const string MaskedSecret = "[secret]";

    /// <summary>True when the key was still masked, i.e. the JSON came from a run without --show-secrets.</summary>
    public bool SetupKeyMasked => RoadWarriorSetupKey == MaskedSecret;

    /// <summary>Parses the JSON object; every missing, null or empty output is one line of the error.</summary>
    public static RunbookOutputs Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new RunbookException(
                $"the stack outputs are not JSON ({e.Message}); feed the output of `pulumi stack output --json --show-secrets --stack offsite`");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RunbookException(
                    "the stack outputs must be a JSON object of output names; feed `pulumi stack output --json --show-secrets --stack offsite`");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var missing = new List<string>();
            foreach (var name in Names)
            {
                var value = doc.RootElement.TryGetProperty(name, out var element) ? Text(element) : null;
                if (string.IsNullOrWhiteSpace(value))
                {
                    missing.Add(name);
                }
                else
                {
                    values[name] = value.Trim();
                }
            }

            if (missing.Count > 0)
            {
                throw new RunbookException(
                    "the offsite stack outputs lack " + string.Join(", ", missing.Select(m => $"`{m}`")) +
                    " — run `pulumi up --stack offsite` so the stack exports them (stacks/OffsiteStack.cs), then rerun `runbook offsite`; nothing was written");
            }

            return new RunbookOutputs(
                values["managementUrl"], values["dashboardUrl"], values["askariIpv4"], values["askariIpv6"],
                values["askariMeshIp"], values["roadWarriorSetupKey"], values["meshDnsDomain"]);
        }
    }

    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => element.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant(),
        _ => null, // null, objects and arrays are not usable runbook values
    };
}

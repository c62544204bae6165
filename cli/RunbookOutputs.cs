using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Boma.Infra.Cli;

/// <summary>
/// The offsite stack outputs the road-warrior runbook is written from — the runbook's contract
/// with <c>stacks/OffsiteStack.cs</c>. Parsed from <c>pulumi stack output --json [--show-secrets]</c>.
/// </summary>
internal sealed partial record RunbookOutputs(
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
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
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

            // Every value is checked for its shape before it reaches a pasted command or the Markdown.
            var bad = values.Select(p => Shape(p.Key, p.Value) is { } problem ? $"`{p.Key}` {Boma.Infra.Config.Addresses.Show(problem, 500)}" : null).OfType<string>().ToList();
            if (missing.Count == 0 && bad.Count > 0)
            {
                throw new RunbookException(
                    "the offsite stack outputs do not have the expected shape: " + string.Join("; ", bad) +
                    " — feed the unedited output of `pulumi stack output --json --show-secrets --stack offsite`; nothing was written");
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

    // Every runbook output is text; a number or bool where an address belongs is the wrong document.
    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => "\0" + element.GetRawText(),
        _ => null, // null, objects and arrays are not usable runbook values
    };

    /// <summary>Why a value does not have its output's shape, or null. The shapes leave nothing a shell or Markdown would read as syntax.</summary>
    internal static string? Shape(string name, string value)
    {
        if (value.StartsWith('\0'))
        {
            return $"is {Boma.Infra.Config.Addresses.Show(value[1..])}, not text";
        }

        var shown = Boma.Infra.Config.Addresses.Show(value);
        switch (name)
        {
            case "managementUrl" or "dashboardUrl":
                var m = UrlRegex().Match(value);
                return !m.Success ? $"'{shown}' is not an https:// URL of a host name (letters, digits, '.', '-', an optional port and plain path)"
                    : Boma.Infra.Config.ConfigRules.Domain(m.Groups["host"].Value) is { } hostProblem ? $"has a bad host: {hostProblem}"
                    : m.Groups["port"].Success && (!int.TryParse(m.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) ? $"'{shown}' has a port outside 1-65535"
                    : null;
            case "askariIpv4":
                return Boma.Infra.Config.Addresses.ParseIp(value, out var v4) is { } p4 ? p4
                    : v4!.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ? $"'{shown}' is not an IPv4 address" : null;
            case "askariIpv6":
                return Boma.Infra.Config.Addresses.ParseIp(value, out var v6) is { } p6 ? p6
                    : v6!.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"'{shown}' is not an IPv6 address" : null;
            case "askariMeshIp":
                return Boma.Infra.Config.Addresses.ParseIp(value, out var mesh) is { } pm ? pm
                    : mesh!.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !MeshRange.Contains(mesh) ? $"'{shown}' is not a NetBird mesh address (100.64.0.0/10)" : null;
            case SecretName:
                // Never echo the key: it may be live.
                return value == MaskedSecret || SetupKeyRegex().IsMatch(value) ? null : "is not a NetBird setup key (8-64 letters, digits and '-')";
            case "meshDnsDomain":
                return Boma.Infra.Config.ConfigRules.Domain(value);
            default:
                return null;
        }
    }

    private static readonly System.Net.IPNetwork MeshRange = System.Net.IPNetwork.Parse("100.64.0.0/10");

    [System.Text.RegularExpressions.GeneratedRegex("^https://(?<host>[a-z0-9.-]{1,253})(:(?<port>[0-9]{1,5}))?(?<path>/[A-Za-z0-9._~/-]*)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex UrlRegex();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9-]{8,64}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SetupKeyRegex();
}

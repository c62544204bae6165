using System.Text.Json;
using System.Text.Json.Nodes;
using Boma.Infra.Config;

namespace Boma.Infra.Components;

/// <summary>Renders the policy spec that hosts/netbird-api/policies.sh applies (group names; the script resolves IDs).</summary>
internal static class NetbirdPolicyFile
{
    public static string Render(NetbirdConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var policies = new JsonArray();
        foreach (var p in config.AllPolicies)
        {
            var rule = new JsonObject
            {
                ["name"] = p.Name,
                ["description"] = p.Description,
                ["sources"] = new JsonArray([.. p.Sources.Select(s => (JsonNode)s)]),
                ["destinations"] = new JsonArray([.. p.Destinations.Select(s => (JsonNode)s)]),
                ["protocol"] = p.Protocol,
                ["bidirectional"] = p.Bidirectional,
                ["action"] = "accept",
            };
            if (p.Ports.Length > 0)
            {
                rule["ports"] = new JsonArray([.. p.Ports.Select(s => (JsonNode)s)]);
            }

            policies.Add(new JsonObject { ["name"] = p.Name, ["description"] = p.Description, ["rules"] = new JsonArray(rule) });
        }

        var root = new JsonObject { ["removeDefault"] = config.RemoveDefaultPolicy, ["policies"] = policies };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}

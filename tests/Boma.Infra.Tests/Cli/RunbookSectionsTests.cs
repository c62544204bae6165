using NUnit.Framework;
using System.Text.Json.Nodes;
using Boma.Infra.Cli;

namespace Boma.Infra.Tests.Cli;

/// <summary>The runbook's contents, in order: install, join, verify, reach ubongo, revoke (docs/netbird.md, "Road-warrior runbook").</summary>
[TestFixture]
public sealed class RunbookSectionsTests
{
    private static readonly string[] Steps =
    [
        "## 1. Install the NetBird client",
        "sudo apt-get update && sudo apt-get install -y netbird",
        "## 2. Join the mesh",
        "sudo netbird up --management-url https://netbird.askari.example.org --setup-key-file /tmp/boma-setup-key",
        "## 3. Verify",
        "netbird status",
        "## 4. Reach ubongo over the mesh",
        "ssh ubongo.boma.example.org",
        "## 5. A laptop is lost or stolen: revoke it",
        "/api/peers/<peer-id>",
    ];

    [Test]
    public void The_rendered_runbook_has_every_step_in_order()
    {
        var outputs = new JsonObject
        {
            ["managementUrl"] = "https://netbird.askari.example.org",
            ["dashboardUrl"] = "https://netbird.askari.example.org",
            ["askariIpv4"] = "203.0.113.7",
            ["askariIpv6"] = "2001:db8:1234::1",
            ["askariMeshIp"] = "100.90.12.1",
            ["roadWarriorSetupKey"] = "8C1E9D2A-4F6B-4E0C-9A7D-3B5F1C2E8A90",
            ["meshDnsDomain"] = "boma.example.org",
        };
        var text = RunbookTemplate.Render(RunbookTemplate.Load(), RunbookOutputs.Parse(outputs.ToJsonString()), withSecrets: false);

        var position = 0;
        foreach (var step in Steps)
        {
            var found = text.IndexOf(step, position, StringComparison.Ordinal);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"'{step}' missing or out of order");
            position = found + step.Length;
        }
    }
}

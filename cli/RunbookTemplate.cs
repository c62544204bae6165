using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Boma.Infra.Cli;

/// <summary>
/// Fills <c>docs/runbooks/road-warrior-enrolment.md.tmpl</c> (embedded in the program) with the stack outputs.
/// The setup key is replaced by a placeholder unless the caller asks for the live key.
/// </summary>
internal static partial class RunbookTemplate
{
    public const string ResourceName = "Boma.Infra.Runbooks.road-warrior-enrolment.md.tmpl";

    /// <summary>What stands in the redacted runbook where the key would go.</summary>
    public const string KeyPlaceholder = "<ROAD-WARRIOR-SETUP-KEY>";

    public static string Load()
    {
        using var stream = typeof(RunbookTemplate).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the program was built without its embedded runbook template {ResourceName}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static string Render(string template, RunbookOutputs outputs, bool withSecrets)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(outputs);

        var note = withSecrets
            ? "> **This copy contains the live road-warrior setup key.** Keep it off git and shared drives and delete it after enrolment."
            : "> The setup key is a secret, so it is not in this file (which is safe to commit). Get it with\n" +
              "> `pulumi stack output roadWarriorSetupKey --show-secrets --stack offsite` and paste it where\n" +
              $"> `{KeyPlaceholder}` appears below.";

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["managementUrl"] = outputs.ManagementUrl,
            ["dashboardUrl"] = outputs.DashboardUrl,
            ["askariIpv4"] = outputs.AskariIpv4,
            ["askariIpv6"] = outputs.AskariIpv6,
            ["askariMeshIp"] = outputs.AskariMeshIp,
            ["meshDnsDomain"] = outputs.MeshDnsDomain,
            ["roadWarriorSetupKey"] = withSecrets ? outputs.RoadWarriorSetupKey : KeyPlaceholder,
            ["setupKeyNote"] = note,
        };

        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (values.TryGetValue(name, out var value))
            {
                return value;
            }

            unknown.Add(name);
            return m.Value;
        });

        if (unknown.Count > 0)
        {
            // A template/program mismatch, not a user error: say which placeholder has no value.
            throw new RunbookException(
                "the runbook template uses placeholders the program does not fill: " + string.Join(", ", unknown) +
                " — add them to RunbookTemplate.Render or remove them from docs/runbooks/road-warrior-enrolment.md.tmpl");
        }

        return text;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

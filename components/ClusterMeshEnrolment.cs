using Boma.Infra.Hosts;

namespace Boma.Infra.Components;

using Pulumi;

/// <summary>
/// The bootstrap step that enrols a cluster VM in the NetBird mesh (hosts/cluster/netbird-enrol.sh.tmpl).
/// It runs after the shared hardening steps, in the same <see cref="HostBootstrap"/>. The script itself
/// holds no secret: the setup key reaches it as <see cref="SetupKeyVariable"/> in an <c>export</c> line
/// ahead of the script on the command's stdin, which stays a secret. The step is marked as touching a
/// secret: its command logs nothing and its output is secret. Its trigger hashes the script only, so
/// re-reading the same key never re-runs it.
/// </summary>
internal static class ClusterMeshEnrolment
{
    public const string Role = "mesh";

    public const string Template = "cluster/netbird-enrol.sh.tmpl";

    /// <summary>The environment variable the script reads the setup key from.</summary>
    public const string SetupKeyVariable = "NB_SETUP_KEY";

    public static BootstrapStep Step(string peerName, Output<string> managementUrl, Output<string> setupKey)
    {
        ArgumentNullException.ThrowIfNull(managementUrl);
        ArgumentNullException.ThrowIfNull(setupKey);
        var script = managementUrl.Apply(url => HostTemplates.Render(Template, new Dictionary<string, string>
        {
            ["management_url"] = url.TrimEnd('/'),
            ["peer_name"] = peerName,
            ["netbird_version"] = Boma.Infra.Config.NetbirdConfig.Version,
        }));
        // Built inside Apply over the secret key and kept secret even if the key arrived unmarked.
        var stdin = Output.Tuple<string, string>(setupKey, script).Apply(values => Output.CreateSecret(
            HostTemplates.ExportPreamble(new Dictionary<string, string> { [SetupKeyVariable] = values.Item1 }) + values.Item2));
        return new BootstrapStep(Role, Template, script, TouchesSecret: true, Stdin: stdin);
    }
}

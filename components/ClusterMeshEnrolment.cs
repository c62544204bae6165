using Boma.Infra.Hosts;
using Boma.Pulumi;

namespace Boma.Infra.Components;

/// <summary>
/// The bootstrap step that enrols a cluster VM in the NetBird mesh (hosts/cluster/netbird-enrol.sh.tmpl).
/// It runs after the shared hardening steps, in the same <see cref="HostBootstrap"/>. The script carries the
/// setup key, so the step is marked as touching a secret: its command logs nothing, its output is secret,
/// and the script is never written out by <c>plan --out</c>.
/// </summary>
internal static class ClusterMeshEnrolment
{
    public const string Role = "mesh";

    public const string Template = "cluster/netbird-enrol.sh.tmpl";

    public static BootstrapStep Step(string peerName, Output<string> managementUrl, Output<string> setupKey)
    {
        ArgumentNullException.ThrowIfNull(managementUrl);
        ArgumentNullException.ThrowIfNull(setupKey);
        var script = Output.Tuple<string, string>(managementUrl, setupKey).Apply(values => HostTemplates.Render(Template, new Dictionary<string, string>
        {
            ["management_url"] = values.Item1.TrimEnd('/'),
            ["peer_name"] = peerName,
            ["setup_key"] = values.Item2,
        }));
        return new BootstrapStep(Role, Template, script, TouchesSecret: true);
    }
}

using System.Globalization;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Components;

/// <summary>
/// Mocks that behave like the real providers enough for the components: hcloud ids are numeric,
/// and the outputs the cloud computes (addresses, fingerprints) get documentation values.
/// </summary>
internal sealed class CloudMocks : IMocks
{
    public const string Ipv4 = "198.51.100.23";
    public const string Ipv6Network = "2001:db8:23::";
    public const string ServerIpv6 = "2001:db8:23::1";

    private int nextId = 1000;

    public Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var state = new Dictionary<string, object?>(args.Inputs);
        switch (args.Type)
        {
            case "hcloud:index/primaryIp:PrimaryIp":
                state["ipAddress"] = (string?)args.Inputs["type"] == "ipv6" ? Ipv6Network : Ipv4;
                break;
            case "hcloud:index/server:Server":
                state["ipv4Address"] = Ipv4;
                state["ipv6Address"] = ServerIpv6;
                state["status"] = "running";
                break;
            case "hcloud:index/sshKey:SshKey":
                state["fingerprint"] = "aa:bb:cc";
                break;
            case "command:remote:Command":
                state["stdout"] = "summary: 0 changed";
                state["stderr"] = "";
                break;
            default:
                break;
        }

        var id = args.Type.StartsWith("hcloud:", StringComparison.Ordinal)
            ? Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture)
            : null;
        return Task.FromResult<(string?, object)>((id, state));
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(new Dictionary<string, object?>());
}

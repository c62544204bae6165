using Boma.Infra.Tests.Components;
using Boma.Pulumi.Testing;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;

namespace Boma.Infra.Tests.Stacks;

/// <summary>
/// The cloud mocks plus what the NetBird part produces: random secrets and command outputs carry
/// distinctive markers, so a test can prove none of them reaches a plain input, output or log.
/// </summary>
internal sealed class NetbirdMocks : IMocks
{
    public const string RandomMarker = "rnd-secret-marker";
    public const string TokenMarker = "nbp_tokenmarker";
    public const string KeyMarker = "SETUPKEYMARKER";
    public const string MeshIp = "100.90.12.1";

    /// <summary>Markers of values that must only ever travel as secrets.</summary>
    public static readonly string[] SecretMarkers = [RandomMarker, TokenMarker, KeyMarker];

    private readonly CloudMocks _cloud = new();

    public async Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (id, state) = await _cloud.NewResourceAsync(args);
        var outputs = new Dictionary<string, object?>((IDictionary<string, object?>)state);
        switch (args.Type)
        {
            case "random:index/randomPassword:RandomPassword":
                outputs["result"] = $"{RandomMarker}-{args.Name}";
                outputs["bcryptHash"] = $"$2a$10${RandomMarker}";
                break;
            case "random:index/randomBytes:RandomBytes":
                outputs["base64"] = $"{RandomMarker}{args.Name.Length:D2}AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
                outputs["hex"] = $"{RandomMarker}-hex";
                break;
            case "command:remote:Command":
                outputs["stdout"] = args.Name switch
                {
                    var n when n.EndsWith("-setup", StringComparison.Ordinal) => $"{TokenMarker}-admin\n",
                    var n when n.EndsWith("-key", StringComparison.Ordinal) => $"{KeyMarker}-{args.Name}\n",
                    var n when n.EndsWith("-askari-enrol", StringComparison.Ordinal) => MeshIp + "\n",
                    _ => "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
                };
                break;
            default:
                break;
        }

        return (id ?? $"{args.Name}-id", outputs);
    }

    public Task<object> CallAsync(MockCallArgs args) => _cloud.CallAsync(args);
}

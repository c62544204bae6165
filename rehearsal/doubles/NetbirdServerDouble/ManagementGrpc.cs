using Boma.Rehearsal.NetbirdDouble.Grpc;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Grpc.Core;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// management.ManagementService over h2c, as management/internals/shared/grpc/server.go answers GetServerKey and
/// isHealthy. Login/Sync (encrypted with the peer's WireGuard key) are not doubled: they answer UNIMPLEMENTED.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ManagementGrpc(ServerKey key) : ManagementService.ManagementServiceBase
{
    public override Task<ServerKeyResponse> GetServerKey(Empty request, ServerCallContext context)
    {
        // Upstream puts only the seconds-of-minute of now+24h into expiresAt.Seconds (a quirk kept as it is).
        var expires = DateTimeOffset.UtcNow.AddHours(24);
        return Task.FromResult(new ServerKeyResponse
        {
            Key = key.PublicKey,
            ExpiresAt = new Timestamp { Seconds = expires.Second, Nanos = (int)(expires.Ticks % TimeSpan.TicksPerSecond * 100) },
            Version = 0,
        });
    }

    public override Task<Empty> isHealthy(Empty request, ServerCallContext context) => Task.FromResult(new Empty());
}

/// <summary>The server's WireGuard public key, kept next to store.db so it survives restarts.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ServerKey(string publicKey)
{
    public string PublicKey { get; } = publicKey;

    public static ServerKey Load(string dataDir)
    {
        var path = Path.Combine(dataDir, "double-server.key");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, Ids.WgKey() + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new ServerKey(File.ReadAllText(path).Trim());
    }
}

using System.Net;
using Grpc.Net.Client;

namespace Boma.Pulumi;

/// <summary>Channel settings both official SDKs use: plain HTTP/2 with prior knowledge, 400 MiB messages.</summary>
internal static class GrpcChannels
{
    public static GrpcChannel Create(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var uri = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        var handler = new SocketsHttpHandler
        {
            // Thousands of registrations may be in flight at once; let them spread over connections.
            EnableMultipleHttp2Connections = true,
            // SignalAndWaitForShutdown may sit idle for a whole deployment; keep its connection.
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            HttpHandler = handler,
            HttpVersion = HttpVersion.Version20,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            MaxReceiveMessageSize = Serialization.Constants.MaxRpcMessageSize,
            MaxSendMessageSize = Serialization.Constants.MaxRpcMessageSize,
            DisposeHttpClient = true,
        });
    }
}

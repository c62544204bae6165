using System.Net;
using System.Net.Sockets;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// The combined server's one cleartext port serves HTTP/1.1 (REST, WebSocket) and HTTP/2 with prior knowledge (h2c
/// gRPC from Caddy) side by side, as Go's h2c handler does. Kestrel does not pick HTTP/2 on a cleartext
/// Http1AndHttp2 endpoint, so this front reads the first bytes of each connection: the HTTP/2 client preface goes to
/// an HTTP/2-only Kestrel socket, everything else to an HTTP/1.1 one.
/// </summary>
internal sealed class CleartextFront(IPAddress address, int port, string http1Socket, string http2Socket) : IDisposable
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private TcpListener _listener = new(address, port);
    private readonly CancellationTokenSource _stop = new();

    public void Start()
    {
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                _listener.Server.DualMode = true;
            }

            _listener.Start();
        }
        catch (SocketException) when (address.Equals(IPAddress.IPv6Any))
        {
            // No IPv6 in this network namespace (a container can have it off): IPv4 only.
            _listener.Dispose();
            _listener = new TcpListener(IPAddress.Any, port);
            _listener.Start();
        }

        _ = Task.Run(AcceptLoopAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            var head = new byte[Preface.Length];
            var read = 0;
            try
            {
                // Read until the bytes differ from the preface or the whole preface is in.
                while (read < head.Length)
                {
                    var n = await client.ReceiveAsync(head.AsMemory(read), _stop.Token);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                    if (!head.AsSpan(0, read).SequenceEqual(Preface.AsSpan(0, read)))
                    {
                        break;
                    }
                }

                if (read == 0)
                {
                    return;
                }

                var http2 = read == Preface.Length && head.AsSpan().SequenceEqual(Preface);
                using var backend = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await backend.ConnectAsync(new UnixDomainSocketEndPoint(http2 ? http2Socket : http1Socket), _stop.Token);
                await backend.SendAsync(head.AsMemory(0, read), _stop.Token);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = PumpAsync(client, backend, linked.Token);
                var down = PumpAsync(backend, client, linked.Token);
                await Task.WhenAny(up, down);
                await linked.CancelAsync();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // A peer went away: nothing to answer.
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancel)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, cancel);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, n), cancel);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}

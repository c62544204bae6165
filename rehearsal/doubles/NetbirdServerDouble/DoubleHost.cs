using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>Builds the double's web host: the combined server's one listener, or the dashboard's.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class DoubleHost
{
    public const string Version = "0.72.4";

    public static WebApplication Build(string[] args, out string banner, Func<string, string?>? environment = null)
    {
        string? config = null;
        var dashboard = false;
        int? port = null;
        var address = IPAddress.IPv6Any;
        string? dataDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" or "-c" when i + 1 < args.Length:
                    config = args[++i];
                    break;
                case "--dashboard":
                    dashboard = true;
                    break;
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var p):
                    port = p;
                    i++;
                    break;
                case "--listen" when i + 1 < args.Length && IPEndPoint.TryParse(args[i + 1], out var endPoint):
                    address = endPoint.Address; // tests: one loopback address per container name
                    port = endPoint.Port;
                    i++;
                    break;
                case "--data-dir" when i + 1 < args.Length:
                    dataDir = args[++i]; // tests: keep store.db in a temp dir instead of the config's dataDir
                    break;
                default:
                    throw new ConfigException($"unknown argument {args[i]} (usage: --config PATH [--port N | --listen ADDR:PORT] [--data-dir DIR] | --dashboard [--port N | --listen ADDR:PORT])");
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (dashboard)
        {
            var dashPort = port ?? 80;
            builder.WebHost.ConfigureKestrel(k =>
            {
                if (address.Equals(IPAddress.IPv6Any))
                {
                    k.ListenAnyIP(dashPort);
                }
                else
                {
                    k.Listen(address, dashPort);
                }
            });
            var web = builder.Build();
            web.Run(Dashboard.HandleAsync);
            banner = $"netbird dashboard double listening on :{dashPort}";
            return web;
        }

        var cfg = DoubleConfig.Load(config ?? "/etc/netbird/config.yaml");
        var listen = port ?? cfg.ListenPort;
        var store = new Store(dataDir ?? cfg.DataDir);
        var serverKey = ServerKey.Load(dataDir ?? cfg.DataDir);
        var api = new ManagementApi(store, (environment ?? Environment.GetEnvironmentVariable)("NB_SETUP_PAT_ENABLED") == "true");
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(serverKey);
        var sockets = Directory.CreateTempSubdirectory("netbird-double-").FullName;
        var http1 = Path.Combine(sockets, "http1.sock");
        var http2 = Path.Combine(sockets, "http2.sock");
        var front = new CleartextFront(address, listen, http1, http2);
        // The combined server's embedded STUN listens on UDP 3478 (compose publishes it): hold the socket so the port
        // is open as with the real server (the double answers no STUN; nothing in boma's scripts sends any).
        var stun = port is null ? new System.Net.Sockets.UdpClient(3478) : null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            // One cleartext port for REST, WebSockets and h2c gRPC (the combined server's listenAddress), split by CleartextFront.
            k.ListenUnixSocket(http1, o => o.Protocols = HttpProtocols.Http1);
            k.ListenUnixSocket(http2, o => o.Protocols = HttpProtocols.Http2);
            if (port is null && cfg.HealthPort != listen)
            {
                k.ListenAnyIP(cfg.HealthPort, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(front.Start);
        app.Lifetime.ApplicationStopping.Register(front.Dispose);
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            store.Dispose();
            stun?.Dispose();
            Directory.Delete(sockets, recursive: true);
        });
        app.UseWebSockets();
        app.Use(async (ctx, next) =>
        {
            var request = ctx.Request;
            var path = request.Path.Value ?? "/";
            if (ctx.Connection.LocalPort == cfg.HealthPort && port is null && cfg.HealthPort != listen)
            {
                ctx.Response.StatusCode = 200; // the health endpoint answers once the server is up
                await ctx.Response.WriteAsync("ok\n");
                return;
            }

            // The order of combined/cmd/root.go createCombinedHandler.
            if (request.Protocol == "HTTP/2" && (request.ContentType ?? string.Empty).StartsWith("application/grpc", StringComparison.Ordinal))
            {
                await next(ctx);
            }
            else if (path is "/ws-proxy/management" or "/ws-proxy/signal" or "/relay")
            {
                await WebSocketEndpointAsync(ctx);
            }
            else if (path.StartsWith("/oauth2", StringComparison.Ordinal))
            {
                // The embedded IdP (Dex) is not doubled.
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsync("embedded IdP is not part of the double\n");
            }
            else
            {
                await api.HandleAsync(ctx);
            }
        });
        app.UseRouting();
        app.MapGrpcService<ManagementGrpc>();
        banner = $"netbird-server double {Version} listening on :{listen}, store {store.Path}";
        return app;
    }

    /// <summary>
    /// The relay and gRPC-over-WebSocket endpoints: a WebSocket upgrade is completed (coder/websocket Accept),
    /// anything else answers 426 Upgrade Required. After the upgrade the double echoes messages until closed
    /// (the relay protocol and the tunnelled gRPC are not doubled).
    /// </summary>
    private static async Task WebSocketEndpointAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = 426;
            ctx.Response.Headers.Connection = "Upgrade";
            ctx.Response.Headers.Upgrade = "websocket";
            await ctx.Response.WriteAsync("WebSocket protocol violation: Connection header does not contain Upgrade\n");
            return;
        }

        using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, ctx.RequestAborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                break;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, ctx.RequestAborted);
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>
/// An in-memory stand-in for the parts of NetBird v0.72.4's management API the scripts call
/// (shapes: docs/design/netbird.md, "First boot" and "Management API"), recording every request so tests can assert order and headers.
/// </summary>
internal sealed class FakeNetbirdApi : IDisposable
{
    public const string Pat = "nbp_FAKEpersonalACCESStoken0123456789ab";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _next;

    public FakeNetbirdApi()
    {
        // Pick a free port, then listen on it (HttpListener cannot bind port 0).
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
        Policies.Add(new JsonObject
        {
            ["id"] = "default-xid", ["name"] = "Default", ["enabled"] = true,
            ["description"] = "This is a default rule that allows connections between all the resources",
        });
        Groups.Add(new JsonObject { ["id"] = "group-all", ["name"] = "All" });
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public bool SetupDone { get; set; }

    public string? OwnerPassword { get; private set; }

    public List<JsonObject> Groups { get; } = [];

    public List<JsonObject> SetupKeys { get; } = [];

    public List<JsonObject> Policies { get; } = [];

    public JsonObject Account { get; } = new() { ["id"] = "acc1", ["settings"] = new JsonObject { ["dns_domain"] = "netbird.selfhosted", ["peer_login_expiration"] = 86400 } };

    /// <summary>"METHOD /path" of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Authorization header values seen.</summary>
    public ConcurrentQueue<string> AuthHeaders { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with an exception when the listener stops.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (this)
            {
                Handle(ctx);
            }
        }
    }

    private void Handle(HttpListenerContext ctx)
    {
        var method = ctx.Request.HttpMethod;
        var path = ctx.Request.Url!.AbsolutePath;
        Requests.Enqueue($"{method} {path}");
        string body;
        using (var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8))
        {
            body = reader.ReadToEnd();
        }

        var json = body.Length > 0 ? JsonNode.Parse(body) : null;
        var (status, response) = Route(method, path, json, ctx.Request.Headers["Authorization"]);
        var bytes = Encoding.UTF8.GetBytes(response?.ToJsonString() ?? "{}");
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.OutputStream.Write(bytes);
        ctx.Response.Close();
    }

    private (int, JsonNode?) Route(string method, string path, JsonNode? body, string? auth)
    {
        if (path == "/api/instance" && method == "GET")
        {
            return (200, new JsonObject { ["setup_required"] = !SetupDone });
        }

        if (path == "/api/setup" && method == "POST")
        {
            if (SetupDone)
            {
                return (412, new JsonObject { ["message"] = "setup already completed" });
            }

            SetupDone = true;
            OwnerPassword = body!["password"]!.GetValue<string>();
            var result = new JsonObject { ["user_id"] = "u1", ["email"] = body["email"]!.GetValue<string>() };
            if (body["create_pat"]?.GetValue<bool>() == true)
            {
                result["personal_access_token"] = Pat;
            }

            return (200, result);
        }

        if (auth is not null)
        {
            AuthHeaders.Enqueue(auth);
        }

        if (auth != $"Token {Pat}")
        {
            return (401, new JsonObject { ["message"] = "token invalid" });
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // api, collection, id?
        var collection = parts.Length > 1 ? parts[1] : string.Empty;
        var id = parts.Length > 2 ? parts[2] : null;
        switch (collection, method, id)
        {
            case ("users", "GET", "current"):
                return (200, new JsonObject { ["id"] = "u1", ["role"] = "owner" });
            case ("groups", "GET", null):
                return (200, Array(Groups));
            case ("groups", "POST", null):
            {
                var g = new JsonObject { ["id"] = $"group-{++_next}", ["name"] = body!["name"]!.GetValue<string>() };
                Groups.Add(g);
                return (200, g.DeepClone());
            }

            case ("setup-keys", "GET", null):
                return (200, Array(SetupKeys.Select(k =>
                {
                    var masked = (JsonObject)k.DeepClone();
                    masked["key"] = k["key"]!.GetValue<string>()[..5] + "****";
                    return masked;
                })));
            case ("setup-keys", "POST", null):
            {
                var key = new JsonObject
                {
                    ["id"] = $"key-{++_next}", ["name"] = body!["name"]!.GetValue<string>(),
                    ["key"] = $"{_next:D8}-AAAA-BBBB-CCCC-DDDDEEEEFFFF", ["type"] = body["type"]!.GetValue<string>(),
                    ["valid"] = true, ["revoked"] = false, ["auto_groups"] = body["auto_groups"]!.DeepClone(),
                    ["expires_in"] = body["expires_in"]!.DeepClone(),
                    // Upstream's SetupKey carries usage_limit (shared/management/http/api/types.gen.go, json "usage_limit").
                    ["usage_limit"] = body["usage_limit"]?.DeepClone() ?? 0,
                };
                SetupKeys.Add(key);
                return (200, key.DeepClone());
            }

            case ("setup-keys", "PUT", not null):
            {
                var key = SetupKeys.Single(k => k["id"]!.GetValue<string>() == id);
                if (body!["revoked"]?.GetValue<bool>() == true)
                {
                    key["revoked"] = true;
                    key["valid"] = false;
                }

                return (200, key.DeepClone());
            }

            case ("policies", "GET", null):
                return (200, Array(Policies));
            case ("policies", "POST", null):
            {
                var p = (JsonObject)body!.DeepClone();
                p["id"] = $"policy-{++_next}";
                Policies.Add(p);
                return (200, p.DeepClone());
            }

            case ("policies", "PUT", not null):
            {
                var index = Policies.FindIndex(p => p["id"]!.GetValue<string>() == id);
                var p = (JsonObject)body!.DeepClone();
                p["id"] = id;
                Policies[index] = p;
                return (200, p.DeepClone());
            }

            case ("policies", "DELETE", not null):
                Policies.RemoveAll(p => p["id"]!.GetValue<string>() == id);
                return (200, new JsonObject());
            case ("accounts", "GET", null):
                return (200, new JsonArray(Account.DeepClone()));
            case ("accounts", "PUT", "acc1"):
                Account["settings"] = body!["settings"]!.DeepClone();
                return (200, Account.DeepClone());
            default:
                return (404, new JsonObject { ["message"] = $"no route {method} {path}" });
        }
    }

    private static JsonArray Array(IEnumerable<JsonObject> items) => new([.. items.Select(i => i.DeepClone())]);
}

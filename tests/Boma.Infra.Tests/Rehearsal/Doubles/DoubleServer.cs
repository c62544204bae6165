using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Boma.Rehearsal.NetbirdDouble;
using Microsoft.AspNetCore.Builder;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Rehearsal.Doubles;

/// <summary>
/// The NetBird server double hosted in this process on a free loopback port, reading a config.yaml rendered by the
/// product's own hosts/netbird/render-config.sh, its store.db in a temp data dir.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class DoubleServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DoubleServer(WebApplication app, string dir, int port)
    {
        _app = app;
        Dir = dir;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri(Url) };
    }

    public string Dir { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string DataDir => Path.Combine(Dir, "data");

    public HttpClient Http { get; }

    public static async Task<string> RenderConfigAsync(string dir)
    {
        var template = File.ReadAllText(Tools.Repo("hosts", "netbird", "config.yaml.tmpl"))
            .Replace("{{ netbird_fqdn }}", "netbird.boma.test", StringComparison.Ordinal)
            .Replace("{{ trusted_proxies }}", "172.30.0.0/16", StringComparison.Ordinal);
        var templatePath = Path.Combine(dir, "config.yaml.tmpl");
        await File.WriteAllTextAsync(templatePath, template);
        var config = Path.Combine(dir, "config.yaml");
        var render = await Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird", "render-config.sh"), templatePath, config],
            "NB_AUTH_SECRET=YXV0aHNlY3JldA==\nNB_STORE_ENCRYPTION_KEY=c3RvcmVrZXk=\nNB_SESSION_COOKIE_KEY=Y29va2ll\n");
        Assert.That(render.ExitCode, Is.Zero, render.Stderr);
        return config;
    }

    public static async Task<DoubleServer> StartAsync(bool setupPatEnabled = true, string? dir = null)
    {
        dir ??= Directory.CreateTempSubdirectory("boma-nb-double-").FullName;
        var config = Path.Combine(dir, "config.yaml");
        if (!File.Exists(config))
        {
            config = await RenderConfigAsync(dir);
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var app = DoubleHost.Build(["--config", config, "--listen", $"127.0.0.1:{port}", "--data-dir", Path.Combine(dir, "data")], out _,
            name => name == "NB_SETUP_PAT_ENABLED" && setupPatEnabled ? "true" : null);
        await app.StartAsync();
        return new DoubleServer(app, dir, port);
    }

    /// <summary>Stops the server but keeps its data dir (for a restart on the same store).</summary>
    public async Task StopAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Dir, recursive: true);
    }

    public async Task<(int Status, string Body)> SendAsync(string method, string path, string? json = null, string? authorization = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Claims the instance; returns the setup PAT.</summary>
    public async Task<string> SetUpAsync()
    {
        var (status, body) = await SendAsync("POST", "/api/setup",
            """{"email": "admin@example.org", "password": "correct-horse-battery", "name": "boma admin", "create_pat": true, "pat_expire_in": 30}""");
        Assert.That(status, Is.EqualTo(200), body);
        return JsonNode.Parse(body)!["personal_access_token"]!.GetValue<string>();
    }

    public static JsonNode Json(string body) => JsonNode.Parse(body)!;
}

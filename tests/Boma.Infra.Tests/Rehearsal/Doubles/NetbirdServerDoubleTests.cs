using System.Net.WebSockets;
using System.Text;
using Boma.Rehearsal.NetbirdDouble;
using Boma.Rehearsal.NetbirdDouble.Grpc;
using Grpc.Net.Client;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Hosts;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Rehearsal.Doubles;

/// <summary>
/// The NetBird server double answers as v0.72.4 does (rehearsal/doubles/README.md cites the upstream file for each):
/// status codes and the {"message", "code"} error body for what upstream refuses, and the shapes the scripts read.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NetbirdServerDoubleTests
{
    private static readonly string[] IntegrityOkTwoGroups = ["ok", "2"];

    private DoubleServer _nb = null!;

    [SetUp]
    public async Task SetUp() => _nb = await DoubleServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _nb.DisposeAsync();

    private static void AssertError((int Status, string Body) answer, int status, string message)
    {
        Assert.That(answer.Status, Is.EqualTo(status), answer.Body);
        var json = DoubleServer.Json(answer.Body);
        Assert.That(json["message"]!.GetValue<string>(), Is.EqualTo(message));
        Assert.That(json["code"]!.GetValue<int>(), Is.EqualTo(status));
    }

    [Test]
    public async Task Setup_is_accepted_once_returns_the_PAT_and_then_answers_412()
    {
        Assert.That(DoubleServer.Json((await _nb.SendAsync("GET", "/api/instance")).Body)["setup_required"]!.GetValue<bool>(), Is.True);
        var pat = await _nb.SetUpAsync();
        Assert.That(pat, Does.Match("^nbp_[0-9A-Za-z]{36}$"));
        Assert.That(DoubleServer.Json((await _nb.SendAsync("GET", "/api/instance")).Body)["setup_required"]!.GetValue<bool>(), Is.False);
        AssertError(await _nb.SendAsync("POST", "/api/setup", """{"email": "x@example.org", "password": "correct-horse-battery", "name": "x"}"""),
            412, "setup already completed");
        var me = DoubleServer.Json((await _nb.SendAsync("GET", "/api/users/current", authorization: $"Token {pat}")).Body);
        Assert.That(me["email"]!.GetValue<string>(), Is.EqualTo("admin@example.org"));
        Assert.That(me["role"]!.GetValue<string>(), Is.EqualTo("owner"));
    }

    [Test]
    public async Task Without_NB_SETUP_PAT_ENABLED_setup_creates_the_owner_but_no_token()
    {
        await using var off = await DoubleServer.StartAsync(setupPatEnabled: false);
        var (status, body) = await off.SendAsync("POST", "/api/setup",
            """{"email": "admin@example.org", "password": "correct-horse-battery", "name": "a", "create_pat": true}""");
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(DoubleServer.Json(body).AsObject().ContainsKey("personal_access_token"), Is.False);
        Assert.That(DoubleServer.Json((await off.SendAsync("GET", "/api/instance")).Body)["setup_required"]!.GetValue<bool>(), Is.False);
    }

    [Test]
    public async Task Setup_refuses_bad_bodies_and_fields_with_upstreams_codes()
    {
        AssertError(await _nb.SendAsync("POST", "/api/setup", "not json"), 400, "invalid request body");
        AssertError(await _nb.SendAsync("POST", "/api/setup", """{"email": 1}"""), 400, "invalid request body");
        AssertError(await _nb.SendAsync("POST", "/api/setup", """{"password": "correct-horse-battery", "name": "a"}"""), 422, "email is required");
        AssertError(await _nb.SendAsync("POST", "/api/setup", """{"email": "nope", "password": "correct-horse-battery", "name": "a"}"""), 422, "invalid email format");
        AssertError(await _nb.SendAsync("POST", "/api/setup", """{"email": "a@example.org", "password": "short", "name": "a"}"""), 422,
            "password must be at least 8 characters");
        AssertError(await _nb.SendAsync("POST", "/api/setup",
            """{"email": "a@example.org", "password": "correct-horse-battery", "name": "a", "create_pat": true, "pat_expire_in": 366}"""), 422,
            "pat_expire_in must be between 1 and 365");
        var get = await _nb.SendAsync("GET", "/api/setup");
        Assert.That((get.Status, get.Body), Is.EqualTo((405, string.Empty)), "gorilla/mux: method mismatch, no body");
        Assert.That(DoubleServer.Json((await _nb.SendAsync("GET", "/api/instance")).Body)["setup_required"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Authentication_is_refused_as_the_auth_middleware_refuses_it()
    {
        var pat = await _nb.SetUpAsync();
        AssertError(await _nb.SendAsync("GET", "/api/groups"), 401, "no valid authentication provided");
        AssertError(await _nb.SendAsync("GET", "/api/groups", authorization: "Basic YTpi"), 401, "no valid authentication provided");
        AssertError(await _nb.SendAsync("GET", "/api/groups", authorization: "Token nbp_short"), 401, "token invalid");
        AssertError(await _nb.SendAsync("GET", "/api/groups", authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"), 401, "token invalid");
        var tampered = pat[..10] + (pat[10] == 'a' ? 'b' : 'a') + pat[11..];
        AssertError(await _nb.SendAsync("GET", "/api/groups", authorization: $"Token {tampered}"), 401, "token invalid");
        // A well-formed token the store does not know: the store's NotFound comes through (404).
        var unknown = await _nb.SendAsync("GET", "/api/groups", authorization: $"Token {Ids.Pat()}");
        Assert.That(unknown.Status, Is.EqualTo(404), unknown.Body);
        Assert.That(DoubleServer.Json(unknown.Body)["message"]!.GetValue<string>(), Does.StartWith("invalid token: pat: ").And.EndWith(" not found"));
        Assert.That((await _nb.SendAsync("GET", "/api/groups", authorization: $"Token {pat}")).Status, Is.EqualTo(200));
        Assert.That((await _nb.SendAsync("GET", "/api/groups", authorization: $"Bearer {pat}")).Status, Is.EqualTo(200), "a PAT sent as Bearer is taken as a token");
    }

    [Test]
    public async Task Unknown_paths_and_wrong_methods_answer_as_gorilla_mux()
    {
        var pat = await _nb.SetUpAsync();
        Assert.That(await _nb.SendAsync("GET", "/api/nothing", authorization: $"Token {pat}"), Is.EqualTo((404, "404 page not found\n")));
        Assert.That(await _nb.SendAsync("DELETE", "/api/groups"), Is.EqualTo((405, string.Empty)), "405 comes before authentication");
        Assert.That(await _nb.SendAsync("PATCH", "/api/policies/x", "{}", $"Token {pat}"), Is.EqualTo((405, string.Empty)));
    }

    [Test]
    public async Task Groups_policies_and_setup_keys_refuse_missing_and_malformed_fields()
    {
        var auth = $"Token {await _nb.SetUpAsync()}";
        AssertError(await _nb.SendAsync("POST", "/api/groups", "{}", auth), 422, "group name shouldn't be empty");
        AssertError(await _nb.SendAsync("POST", "/api/groups", """{"name": 5}""", auth), 400, "couldn't parse JSON request");
        Assert.That((await _nb.SendAsync("POST", "/api/groups", """{"name": "infra"}""", auth)).Status, Is.EqualTo(200));
        AssertError(await _nb.SendAsync("POST", "/api/groups", """{"name": "infra"}""", auth), 409, "group with name infra already exists");
        AssertError(await _nb.SendAsync("POST", "/api/policies", """{"name": "p", "rules": []}""", auth), 422, "policy rules shouldn't be empty");
        AssertError(await _nb.SendAsync("POST", "/api/policies", """{"rules": []}""", auth), 422, "policy name shouldn't be empty");
        AssertError(await _nb.SendAsync("POST", "/api/policies",
            """{"name": "p", "rules": [{"name": "r", "sources": [], "destinations": [], "action": "accept", "protocol": "all", "ports": ["22"]}]}""", auth),
            422, "for all or icmp protocol ports is not allowed");
        AssertError(await _nb.SendAsync("POST", "/api/policies",
            """{"name": "p", "rules": [{"name": "r", "sources": [], "action": "accept", "protocol": "all"}]}""", auth),
            422, "specify either sources or source resources and destinations or destination resources");
        AssertError(await _nb.SendAsync("POST", "/api/setup-keys", """{"name": "k", "type": "forever"}""", auth), 422, "unknown setup key type forever");
        AssertError(await _nb.SendAsync("POST", "/api/setup-keys", """{"type": "reusable"}""", auth), 422, "setup key name shouldn't be empty");
        AssertError(await _nb.SendAsync("POST", "/api/setup-keys", """{"name": "k", "type": "reusable", "expires_in": -1}""", auth), 422,
            "expiresin can not be in the past");
        AssertError(await _nb.SendAsync("POST", "/api/setup-keys", """{"name": "k", "type": "reusable", "auto_groups": ["nope"]}""", auth), 422,
            "invalid auto groups: group not found: nope");
        AssertError(await _nb.SendAsync("PUT", "/api/setup-keys/nope", """{"revoked": true}""", auth), 422, "setup key autogroups field is invalid");
        AssertError(await _nb.SendAsync("PUT", "/api/setup-keys/nope", """{"revoked": true, "auto_groups": []}""", auth), 404, "setup key: nope not found");
        AssertError(await _nb.SendAsync("DELETE", "/api/policies/nope", authorization: auth), 404, "policy: nope not found");
    }

    [Test]
    public async Task A_role_policy_on_udp_53_and_a_key_with_two_auto_groups_are_accepted_and_udp_port_0_is_refused()
    {
        // What the offsite stack now sends for a dns role: one policy per protocol with a port, a key in cluster + cluster-dns.
        var auth = $"Token {await _nb.SetUpAsync()}";
        async Task<string> Group(string name) => DoubleServer.Json((await _nb.SendAsync("POST", "/api/groups", $$"""{"name": "{{name}}"}""", auth)).Body)["id"]!.GetValue<string>();
        var (admins, cluster, dns) = (await Group("control"), await Group("cluster"), await Group("cluster-dns"));
        var created = await _nb.SendAsync("POST", "/api/policies", $$"""
            {"name": "cluster-dns-53-udp", "enabled": true, "rules": [{"name": "cluster-dns-53-udp", "enabled": true, "action": "accept",
             "bidirectional": false, "protocol": "udp", "ports": ["53"], "sources": ["{{admins}}"], "destinations": ["{{dns}}"]}]}
            """, auth);
        Assert.That(created.Status, Is.EqualTo(200), created.Body);
        var rule = DoubleServer.Json(created.Body)["rules"]![0]!;
        Assert.That((rule["protocol"]!.GetValue<string>(), rule["ports"]![0]!.GetValue<string>()), Is.EqualTo(("udp", "53")));
        AssertError(await _nb.SendAsync("POST", "/api/policies", $$"""
            {"name": "bad", "rules": [{"name": "r", "action": "accept", "protocol": "udp", "ports": ["0"], "sources": ["{{admins}}"], "destinations": ["{{dns}}"]}]}
            """, auth), 422, "valid port value is in 1..65535 range");
        var key = await _nb.SendAsync("POST", "/api/setup-keys", $$"""
            {"name": "cluster-dns", "type": "reusable", "expires_in": 2592000, "usage_limit": 20, "auto_groups": ["{{cluster}}", "{{dns}}"]}
            """, auth);
        Assert.That(key.Status, Is.EqualTo(200), key.Body);
        Assert.That(DoubleServer.Json(key.Body)["auto_groups"]!.AsArray().Select(g => g!.GetValue<string>()), Is.EquivalentTo(new[] { cluster, dns }));
    }

    [Test]
    public async Task The_plain_setup_key_is_only_in_the_create_answer_and_a_revoked_key_stays_revoked()
    {
        var auth = $"Token {await _nb.SetUpAsync()}";
        var created = DoubleServer.Json((await _nb.SendAsync("POST", "/api/setup-keys", """{"name": "servers", "type": "reusable", "expires_in": 3600}""", auth)).Body);
        var key = created["key"]!.GetValue<string>();
        Assert.That(key, Does.Match("^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$"));
        Assert.That(created["state"]!.GetValue<string>(), Is.EqualTo("valid"));
        var listed = DoubleServer.Json((await _nb.SendAsync("GET", "/api/setup-keys", authorization: auth)).Body)[0]!;
        Assert.That(listed["key"]!.GetValue<string>(), Is.EqualTo(key[..5] + "****"));
        var id = created["id"]!.GetValue<string>();
        var revoked = DoubleServer.Json((await _nb.SendAsync("PUT", $"/api/setup-keys/{id}", """{"revoked": true, "auto_groups": []}""", auth)).Body);
        Assert.That((revoked["state"]!.GetValue<string>(), revoked["valid"]!.GetValue<bool>()), Is.EqualTo(("revoked", false)));
        AssertError(await _nb.SendAsync("PUT", $"/api/setup-keys/{id}", """{"revoked": false, "auto_groups": []}""", auth), 422,
            "can't un-revoke a revoked setup key");
        Assert.That(File.ReadAllText(Path.Combine(_nb.DataDir, "store.db") + "-wal", Encoding.Latin1) + File.ReadAllText(Path.Combine(_nb.DataDir, "store.db"), Encoding.Latin1),
            Does.Not.Contain(key), "the store keeps only the key's hash");
    }

    [Test]
    public async Task A_new_account_has_All_and_the_Default_allow_all_policy_and_takes_a_dns_domain()
    {
        var auth = $"Token {await _nb.SetUpAsync()}";
        var policies = DoubleServer.Json((await _nb.SendAsync("GET", "/api/policies", authorization: auth)).Body).AsArray();
        Assert.That(policies, Has.Count.EqualTo(1));
        var rule = policies[0]!["rules"]![0]!;
        Assert.That(policies[0]!["name"]!.GetValue<string>(), Is.EqualTo("Default"));
        Assert.That((rule["sources"]![0]!["name"]!.GetValue<string>(), rule["protocol"]!.GetValue<string>(), rule["bidirectional"]!.GetValue<bool>()),
            Is.EqualTo(("All", "all", true)));
        var account = DoubleServer.Json((await _nb.SendAsync("GET", "/api/accounts", authorization: auth)).Body)[0]!;
        Assert.That(account["settings"]!["dns_domain"]!.GetValue<string>(), Is.Empty);
        var id = account["id"]!.GetValue<string>();
        AssertError(await _nb.SendAsync("PUT", $"/api/accounts/{id}", """{"settings": {"peer_login_expiration": 86400, "dns_domain": "bad domain"}}""", auth),
            422, "invalid domain \"bad domain\" provided for dns domain");
        AssertError(await _nb.SendAsync("PUT", $"/api/accounts/{id}", """{"settings": {"dns_domain": "boma.example.org"}}""", auth),
            422, "peer login expiration can't be smaller than one hour");
        var put = await _nb.SendAsync("PUT", $"/api/accounts/{id}", """{"settings": {"peer_login_expiration": 86400, "dns_domain": "boma.example.org"}}""", auth);
        Assert.That(DoubleServer.Json(put.Body)["settings"]!["dns_domain"]!.GetValue<string>(), Is.EqualTo("boma.example.org"));
    }

    [Test]
    public async Task State_survives_a_restart_in_store_db_and_sqlite3_backs_it_up()
    {
        var pat = await _nb.SetUpAsync();
        Assert.That((await _nb.SendAsync("POST", "/api/groups", """{"name": "infra"}""", $"Token {pat}")).Status, Is.EqualTo(200));
        await _nb.StopAsync();
        var again = await DoubleServer.StartAsync(dir: _nb.Dir);
        _nb = again; // TearDown disposes it (and the shared dir)
        Assert.That(DoubleServer.Json((await again.SendAsync("GET", "/api/instance")).Body)["setup_required"]!.GetValue<bool>(), Is.False);
        Assert.That((await again.SendAsync("GET", "/api/groups", authorization: $"Token {pat}")).Body, Does.Contain("\"infra\""));

        var copy = Path.Combine(again.Dir, "copy.db");
        var backup = await Tools.RunAsync(Tools.Require("sqlite3"), [Path.Combine(again.DataDir, "store.db"), ".timeout 30000", $".backup '{copy}'"]);
        Assert.That(backup.ExitCode, Is.Zero, backup.Stderr);
        var check = await Tools.RunAsync(Tools.Require("sqlite3"), [copy, "PRAGMA integrity_check;", "SELECT count(*) FROM groups;"]);
        Assert.That(check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(IntegrityOkTwoGroups), check.Stderr);
    }

    [Test]
    public async Task The_h2c_gRPC_service_answers_GetServerKey_and_isHealthy()
    {
        using var channel = GrpcChannel.ForAddress(_nb.Url);
        var client = new ManagementService.ManagementServiceClient(channel);
        var key = await client.GetServerKeyAsync(new Empty());
        Assert.That(Convert.FromBase64String(key.Key), Has.Length.EqualTo(32), "a WireGuard public key");
        Assert.That(key.ExpiresAt.Seconds, Is.InRange(0, 59), "upstream sets only the seconds of the minute");
        Assert.That(await client.isHealthyAsync(new Empty()), Is.EqualTo(new Empty()));
        Assert.That((await client.GetServerKeyAsync(new Empty())).Key, Is.EqualTo(key.Key), "one server key");
    }

    [TestCase("/relay")]
    [TestCase("/ws-proxy/management")]
    [TestCase("/ws-proxy/signal")]
    public async Task WebSocket_endpoints_complete_the_upgrade_and_refuse_plain_requests(string path)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_nb.Port}{path}"), CancellationToken.None);
        Assert.That(socket.State, Is.EqualTo(WebSocketState.Open));
        await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var buffer = new byte[16];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, received.Count), Is.EqualTo("hello"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
        Assert.That((await _nb.SendAsync("GET", path)).Status, Is.EqualTo(426), "coder/websocket: Upgrade Required");
    }
}

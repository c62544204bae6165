using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// The management REST API under /api, for the calls boma's scripts make, answering as v0.72.4 does
/// (each behaviour and its upstream file: ../README.md). Routing follows gorilla/mux: a path that matches with
/// another method answers 405 with no body, an unknown path 404 "404 page not found"; authentication runs only
/// on matched routes, /api/instance and /api/setup bypass it.
/// </summary>
internal sealed partial class ManagementApi(Store store, bool setupPatEnabled)
{
    private const string Zero = "0001-01-01T00:00:00Z";
    private const string DefaultDnsDomain = "netbird.selfhosted";

    private sealed record Route(string Method, Regex Path, bool Bypass, Func<Request, JsonNode?> Handler);

    internal sealed record Request(Match Match, JsonObject? Body, string RawBody, JsonObject? User, HttpContext Http)
    {
        public string Id => Match.Groups["id"].Value;

        public string AccountId => User!["account_id"]!.GetValue<string>();
    }

    private Route[]? _routes;

    private Route[] BuildRoutes() =>
    [
        new("GET", Rx("/api/instance"), true, _ => new JsonObject { ["setup_required"] = SetupRequired }),
        new("POST", Rx("/api/setup"), true, Setup),
        new("GET", Rx("/api/users/current"), false, r => UserJson(r.User!)),
        new("GET", Rx("/api/accounts"), false, r => new JsonArray(AccountJson(Account(r.AccountId)))),
        new("PUT", Rx("/api/accounts/{id}"), false, UpdateAccount),
        new("GET", Rx("/api/groups"), false, r => new JsonArray([.. Groups(r.AccountId).Select(GroupJson)])),
        new("POST", Rx("/api/groups"), false, CreateGroup),
        new("GET", Rx("/api/groups/{id}"), false, r => GroupJson(Group(r.AccountId, r.Id))),
        new("DELETE", Rx("/api/groups/{id}"), false, DeleteGroup),
        new("GET", Rx("/api/policies"), false, r => new JsonArray([.. Policies(r.AccountId).Select(PolicyJson)])),
        new("POST", Rx("/api/policies"), false, r => SavePolicy(r, null)),
        new("GET", Rx("/api/policies/{id}"), false, r => PolicyJson(Policy(r.AccountId, r.Id))),
        new("PUT", Rx("/api/policies/{id}"), false, r => SavePolicy(r, Policy(r.AccountId, r.Id))),
        new("DELETE", Rx("/api/policies/{id}"), false, DeletePolicy),
        new("GET", Rx("/api/setup-keys"), false, r => new JsonArray([.. SetupKeys(r.AccountId).Select(k => SetupKeyJson(k, null))])),
        new("POST", Rx("/api/setup-keys"), false, CreateSetupKey),
        new("GET", Rx("/api/setup-keys/{id}"), false, r => SetupKeyJson(SetupKey(r.AccountId, r.Id), null)),
        new("PUT", Rx("/api/setup-keys/{id}"), false, UpdateSetupKey),
        new("DELETE", Rx("/api/setup-keys/{id}"), false, DeleteSetupKey),
        new("GET", Rx("/api/peers"), false, r => new JsonArray([.. Peers(r.AccountId).Select(PeerJson)])),
        new("GET", Rx("/api/peers/{id}"), false, r => PeerJson(Peer(r.AccountId, r.Id))),
        new("DELETE", Rx("/api/peers/{id}"), false, DeletePeer),

        // Double-only (no such route upstream; upstream enrols over the encrypted gRPC Login): the client double's login.
        new("POST", Rx("/api/double-only/peers/login"), true, DoubleLogin),
    ];

    private bool SetupRequired => !store.All("users").Any() && !store.All("accounts").Any();

    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var method = http.Request.Method;
        var routes = _routes ??= BuildRoutes();
        var byPath = routes.Select(r => (route: r, match: r.Path.Match(path))).Where(m => m.match.Success).ToList();
        if (byPath.Count == 0)
        {
            http.Response.StatusCode = 404;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("404 page not found\n");
            return;
        }

        if (method == "OPTIONS")
        {
            // rs/cors AllowAll answers preflights before authentication.
            http.Response.Headers.AccessControlAllowOrigin = "*";
            http.Response.Headers.AccessControlAllowMethods = string.Join(", ", byPath.Select(m => m.route.Method).Distinct());
            http.Response.StatusCode = 204;
            return;
        }

        var hit = byPath.FirstOrDefault(m => m.route.Method == method);
        if (hit.route is null)
        {
            http.Response.StatusCode = 405;
            return;
        }

        string raw;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            raw = await reader.ReadToEndAsync();
        }

        int status;
        string body;
        try
        {
            lock (store.Gate)
            {
                var user = hit.route.Bypass ? null : Authenticate(http.Request.Headers.Authorization.ToString());
                var result = hit.route.Handler(new Request(hit.match, null, raw, user, http));
                status = 200;
                body = (result ?? new JsonObject()).ToJsonString();
            }
        }
        catch (ApiError e)
        {
            status = e.Status;
            body = e.Body;
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=UTF-8";
        await http.Response.WriteAsync(body + "\n");
    }

    // --- authentication (management/server/http/middleware/auth_middleware.go) ---

    private JsonObject Authenticate(string header)
    {
        var parts = header.Split(' ');
        var type = parts[0].ToLowerInvariant();
        if (parts.Length >= 2 && type == "bearer" && parts[1].StartsWith("nbp_", StringComparison.Ordinal))
        {
            type = "token";
        }

        switch (type)
        {
            case "bearer":
                // JWTs come from the embedded IdP, which the double does not have: every JWT is invalid here.
                throw ApiError.Unauthorized("token invalid");
            case "token":
                if (parts.Length != 2 || !WellFormedPat(parts[1]))
                {
                    throw ApiError.Unauthorized("token invalid");
                }

                var hash = Ids.Hash(parts[1]);
                var pat = store.All("personal_access_tokens").FirstOrDefault(p => p["hashed_token"]!.GetValue<string>() == hash)
                    ?? throw new ApiError(404, $"invalid Token: PAT: {hash} not found"); // the store's NotFound, wrapped
                if (DateTimeOffset.Parse(pat["expiration_date"]!.GetValue<string>(), CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow)
                {
                    throw ApiError.Unauthorized("token invalid");
                }

                pat["last_used"] = Now();
                store.Put("personal_access_tokens", pat);
                return store.Find("users", pat["user_id"]!.GetValue<string>())!;
            default:
                throw ApiError.Unauthorized("no valid authentication provided");
        }
    }

    private static bool WellFormedPat(string token)
    {
        if (token.Length != 40 || !token.StartsWith("nbp_", StringComparison.Ordinal))
        {
            return false;
        }

        var secret = token[4..34];
        var checksum = Ids.Crc32(Encoding.UTF8.GetBytes(secret));
        return DecodeBase62(token[34..]) == checksum;
    }

    private static long DecodeBase62(string text)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long value = 0;
        foreach (var c in text)
        {
            var digit = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return -1;
            }

            value = (value * 62) + digit;
        }

        return value;
    }

    // --- instance setup (management/server/http/handlers/instance, management/server/instance) ---

    private JsonObject Setup(Request r)
    {
        var body = Decode(r.RawBody, "invalid request body");
        var email = Str(body, "email", "invalid request body");
        var password = Str(body, "password", "invalid request body");
        var name = Str(body, "name", "invalid request body");
        var createPat = Bool(body, "create_pat", "invalid request body") && setupPatEnabled;
        var days = body["pat_expire_in"] is null ? 1 : Int(body, "pat_expire_in", "invalid request body");
        if (createPat && days is < 1 or > 365)
        {
            throw ApiError.InvalidArgument("pat_expire_in must be between 1 and 365");
        }

        if (email.Length == 0)
        {
            throw ApiError.InvalidArgument("email is required");
        }

        if (!EmailRx().IsMatch(email))
        {
            throw ApiError.InvalidArgument("invalid email format");
        }

        if (name.Length == 0)
        {
            throw ApiError.InvalidArgument("name is required");
        }

        if (password.Length == 0)
        {
            throw ApiError.InvalidArgument("password is required");
        }

        if (password.Length < 8)
        {
            throw ApiError.InvalidArgument("password must be at least 8 characters");
        }

        if (password.Length > 72)
        {
            throw ApiError.InvalidArgument("password must be at most 72 characters");
        }

        if (!SetupRequired)
        {
            throw ApiError.PreconditionFailed("setup already completed");
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var user = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"), ["email"] = email, ["name"] = name, ["role"] = "owner",
            ["password_hash"] = Convert.ToBase64String(salt) + ":" + Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA256, 32)),
            ["created_at"] = Now(),
        };
        var response = new JsonObject { ["user_id"] = user["id"]!.GetValue<string>(), ["email"] = email };
        if (createPat)
        {
            // The PAT needs the account: upstream provisions it here (GetAccountIDByUserID), else at the first login.
            var account = NewAccount(user);
            user["account_id"] = account["id"]!.GetValue<string>();
            var token = Ids.Pat();
            store.Put("personal_access_tokens", new JsonObject
            {
                ["id"] = Ids.Xid(), ["user_id"] = user["id"]!.GetValue<string>(), ["name"] = "setup-token",
                ["hashed_token"] = Ids.Hash(token), ["expiration_date"] = Stamp(DateTimeOffset.UtcNow.AddDays(days)),
                ["created_at"] = Now(), ["account_id"] = account["id"]!.GetValue<string>(),
            });
            response["personal_access_token"] = token;
        }

        store.Put("users", user);
        r.Http.Response.Headers.CacheControl = "no-store";
        return response;
    }

    private JsonObject NewAccount(JsonObject owner)
    {
        // types.NewNetwork: a random /16 inside 100.64.0.0/10.
        var second = 64 + RandomNumberGenerator.GetInt32(64);
        var account = new JsonObject
        {
            ["id"] = Ids.Xid(), ["created_at"] = Now(), ["created_by"] = owner["id"]!.GetValue<string>(),
            ["domain"] = owner["email"]!.GetValue<string>().Split('@')[1], ["domain_category"] = "private",
            ["network"] = $"100.{second}.0.0/16",
            ["settings"] = new JsonObject
            {
                ["peer_login_expiration_enabled"] = true, ["peer_login_expiration"] = 86400,
                ["peer_inactivity_expiration_enabled"] = false, ["peer_inactivity_expiration"] = 600,
                ["regular_users_view_blocked"] = true, ["groups_propagation_enabled"] = true,
                ["jwt_groups_enabled"] = false, ["jwt_groups_claim_name"] = "", ["jwt_allow_groups"] = new JsonArray(),
                ["routing_peer_dns_resolution_enabled"] = true, ["peer_expose_enabled"] = false, ["peer_expose_groups"] = null,
                ["lazy_connection_enabled"] = false, ["dns_domain"] = "", ["auto_update_version"] = "", ["auto_update_always"] = false,
                ["embedded_idp_enabled"] = true, ["local_auth_disabled"] = false, ["local_mfa_enabled"] = false,
                ["extra"] = new JsonObject
                {
                    ["peer_approval_enabled"] = false, ["user_approval_required"] = true, ["network_traffic_logs_enabled"] = false,
                    ["network_traffic_logs_groups"] = null, ["network_traffic_packet_counter_enabled"] = false,
                },
            },
            ["onboarding"] = new JsonObject { ["onboarding_flow_pending"] = true, ["signup_form_pending"] = true },
        };
        var accountId = account["id"]!.GetValue<string>();
        var all = new JsonObject { ["id"] = Ids.Xid(), ["account_id"] = accountId, ["name"] = "All", ["issued"] = "api", ["peers"] = new JsonArray() };
        account["settings"]!["ipv6_enabled_groups"] = new JsonArray(all["id"]!.GetValue<string>());
        store.Put("accounts", account);
        store.Put("groups", all);
        var policyId = Ids.Xid();
        const string description = "This is a default rule that allows connections between all the resources";
        store.Put("policies", new JsonObject
        {
            ["id"] = policyId, ["account_id"] = accountId, ["name"] = "Default", ["description"] = description, ["enabled"] = true,
            ["source_posture_checks"] = null,
            ["rules"] = new JsonArray(new JsonObject
            {
                ["id"] = policyId, ["name"] = "Default", ["description"] = description, ["enabled"] = true, ["action"] = "accept",
                ["bidirectional"] = true, ["protocol"] = "all",
                ["sources"] = new JsonArray(all["id"]!.GetValue<string>()), ["destinations"] = new JsonArray(all["id"]!.GetValue<string>()),
            }),
        });
        return account;
    }

    // --- users, accounts ---

    private static JsonObject UserJson(JsonObject user) => new()
    {
        ["id"] = user["id"]!.GetValue<string>(), ["email"] = user["email"]!.GetValue<string>(), ["name"] = user["name"]!.GetValue<string>(),
        ["role"] = user["role"]!.GetValue<string>(), ["status"] = "active", ["auto_groups"] = new JsonArray(),
        ["is_service_user"] = false, ["is_blocked"] = false, ["issued"] = "api", ["last_login"] = Zero,
    };

    private JsonObject Account(string id) => store.Find("accounts", id) ?? throw ApiError.NotFound($"account not found: {id}");

    private static JsonObject AccountJson(JsonObject account)
    {
        var json = (JsonObject)account.DeepClone();
        json.Remove("network");
        return json;
    }

    private JsonObject UpdateAccount(Request r)
    {
        var account = r.Id == r.AccountId ? Account(r.Id) : throw ApiError.PermissionDenied("user has no permission to access this account");
        var body = Decode(r.RawBody);
        var settings = body["settings"] switch
        {
            null => [],
            JsonObject o => o,
            _ => throw ApiError.BadJson(),
        };
        var loginExpiration = settings["peer_login_expiration"] is null ? 0 : Int(settings, "peer_login_expiration");
        if (loginExpiration > 180 * 24 * 3600)
        {
            throw ApiError.InvalidArgument("peer login expiration can't be larger than 180 days");
        }

        if (loginExpiration < 3600)
        {
            throw ApiError.InvalidArgument("peer login expiration can't be smaller than one hour");
        }

        var dnsDomain = settings["dns_domain"] is null ? null : Str(settings, "dns_domain");
        if (!string.IsNullOrEmpty(dnsDomain) && !DomainRx().IsMatch(dnsDomain.ToLowerInvariant()))
        {
            throw ApiError.InvalidArgument($"invalid domain \"{dnsDomain}\" provided for DNS domain");
        }

        var stored = (JsonObject)account["settings"]!;
        foreach (var (key, value) in settings)
        {
            if (key != "extra" && stored.ContainsKey(key))
            {
                stored[key] = value?.DeepClone();
            }
        }

        if (settings["extra"] is JsonObject extra)
        {
            stored["extra"] = extra.DeepClone();
        }

        store.Put("accounts", account);
        return AccountJson(account);
    }

    // --- groups (management/server/http/handlers/groups/groups_handler.go) ---

    private IEnumerable<JsonObject> Groups(string accountId) => store.All("groups").Where(g => g["account_id"]!.GetValue<string>() == accountId);

    private JsonObject Group(string accountId, string id) =>
        Groups(accountId).FirstOrDefault(g => g["id"]!.GetValue<string>() == id) ?? throw ApiError.NotFound($"group: {id} not found");

    private JsonObject GroupJson(JsonObject group)
    {
        var peers = group["peers"]!.AsArray().Select(p => store.Find("peers", p!.GetValue<string>())).OfType<JsonObject>()
            .Select(p => (JsonNode)new JsonObject { ["id"] = p["id"]!.GetValue<string>(), ["name"] = p["name"]!.GetValue<string>() }).ToArray();
        return new JsonObject
        {
            ["id"] = group["id"]!.GetValue<string>(), ["name"] = group["name"]!.GetValue<string>(),
            ["peers_count"] = peers.Length, ["peers"] = peers.Length == 0 ? null : new JsonArray(peers), // a nil slice encodes as null
            ["resources_count"] = 0, ["resources"] = null, ["issued"] = group["issued"]!.GetValue<string>(),
        };
    }

    private JsonObject CreateGroup(Request r)
    {
        var body = Decode(r.RawBody);
        var name = Str(body, "name");
        if (name.Length == 0)
        {
            throw ApiError.InvalidArgument("group name shouldn't be empty");
        }

        if (Groups(r.AccountId).Any(g => g["name"]!.GetValue<string>() == name))
        {
            throw ApiError.AlreadyExists($"group with name {name} already exists");
        }

        var peers = StrList(body, "peers") ?? [];
        var group = new JsonObject
        {
            ["id"] = Ids.Xid(), ["account_id"] = r.AccountId, ["name"] = name, ["issued"] = "api",
            ["peers"] = new JsonArray([.. peers.Select(p => (JsonNode)p)]),
        };
        store.Put("groups", group);
        return GroupJson(group);
    }

    private JsonObject DeleteGroup(Request r)
    {
        var group = Group(r.AccountId, r.Id);
        if (group["name"]!.GetValue<string>() == "All")
        {
            throw ApiError.InvalidArgument("deleting group ALL is not allowed");
        }

        store.Delete("groups", r.Id);
        return [];
    }

    // --- policies (management/server/http/handlers/policies/policies_handler.go) ---

    private IEnumerable<JsonObject> Policies(string accountId) => store.All("policies").Where(p => p["account_id"]!.GetValue<string>() == accountId);

    private JsonObject Policy(string accountId, string id) =>
        Policies(accountId).FirstOrDefault(p => p["id"]!.GetValue<string>() == id) ?? throw ApiError.NotFound($"policy: {id} not found");

    private JsonObject PolicyJson(JsonObject policy)
    {
        JsonArray Minimums(JsonNode? ids) => new([.. (ids?.AsArray() ?? []).Select(i => store.Find("groups", i!.GetValue<string>())).OfType<JsonObject>()
            .Select(g => (JsonNode)new JsonObject
            {
                ["id"] = g["id"]!.GetValue<string>(), ["name"] = g["name"]!.GetValue<string>(),
                ["peers_count"] = g["peers"]!.AsArray().Count, ["resources_count"] = 0,
            })]);
        var rules = new JsonArray();
        foreach (var rule in policy["rules"]!.AsArray().OfType<JsonObject>())
        {
            var json = new JsonObject
            {
                ["id"] = rule["id"]!.GetValue<string>(), ["name"] = rule["name"]!.GetValue<string>(), ["enabled"] = rule["enabled"]!.GetValue<bool>(),
                ["description"] = rule["description"]!.GetValue<string>(), ["bidirectional"] = rule["bidirectional"]!.GetValue<bool>(),
                ["protocol"] = rule["protocol"]!.GetValue<string>(), ["action"] = rule["action"]!.GetValue<string>(),
                ["sources"] = Minimums(rule["sources"]), ["destinations"] = Minimums(rule["destinations"]),
            };
            if (rule["ports"] is JsonArray { Count: > 0 } ports)
            {
                json["ports"] = ports.DeepClone();
            }

            rules.Add(json);
        }

        return new JsonObject
        {
            ["id"] = policy["id"]!.GetValue<string>(), ["name"] = policy["name"]!.GetValue<string>(),
            ["description"] = policy["description"]!.GetValue<string>(), ["enabled"] = policy["enabled"]!.GetValue<bool>(),
            ["source_posture_checks"] = policy["source_posture_checks"]?.DeepClone(), ["rules"] = rules,
        };
    }

    private JsonObject SavePolicy(Request r, JsonObject? existing)
    {
        var body = Decode(r.RawBody);
        var name = Str(body, "name");
        if (name.Length == 0)
        {
            throw ApiError.InvalidArgument("policy name shouldn't be empty");
        }

        var rulesIn = body["rules"] switch
        {
            null => [],
            JsonArray a => a,
            _ => throw ApiError.BadJson(),
        };
        if (rulesIn.Count == 0)
        {
            throw ApiError.InvalidArgument("policy rules shouldn't be empty");
        }

        var policyId = existing?["id"]!.GetValue<string>() ?? Ids.Xid();
        var rules = new JsonArray();
        foreach (var node in rulesIn)
        {
            if (node is not JsonObject rule)
            {
                throw ApiError.BadJson();
            }

            var sources = StrList(rule, "sources");
            var destinations = StrList(rule, "destinations");
            if (sources is null || destinations is null)
            {
                throw ApiError.InvalidArgument("specify either sources or source resources and destinations or destination resources");
            }

            var action = Str(rule, "action");
            if (action is not ("accept" or "drop"))
            {
                throw ApiError.InvalidArgument("unknown action type");
            }

            var protocol = Str(rule, "protocol");
            if (protocol is not ("all" or "tcp" or "udp" or "icmp" or "netbird-ssh"))
            {
                throw ApiError.InvalidArgument($"unknown protocol type: {protocol}");
            }

            var ports = StrList(rule, "ports") ?? [];
            foreach (var port in ports)
            {
                if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
                {
                    throw ApiError.InvalidArgument("valid port value is in 1..65535 range");
                }
            }

            if (ports.Count > 0 && protocol is "all" or "icmp")
            {
                throw ApiError.InvalidArgument("for ALL or ICMP protocol ports is not allowed");
            }

            var ruleId = existing is not null && rule["id"] is JsonValue v && v.TryGetValue<string>(out var given) ? given : Ids.Xid();
            rules.Add(new JsonObject
            {
                ["id"] = ruleId, ["name"] = Str(rule, "name"), ["description"] = Str(rule, "description"), ["enabled"] = Bool(rule, "enabled"),
                ["action"] = action, ["bidirectional"] = Bool(rule, "bidirectional"), ["protocol"] = protocol,
                ["sources"] = new JsonArray([.. sources.Select(s => (JsonNode)s)]), ["destinations"] = new JsonArray([.. destinations.Select(s => (JsonNode)s)]),
                ["ports"] = new JsonArray([.. ports.Select(s => (JsonNode)s)]),
            });
        }

        var policy = new JsonObject
        {
            ["id"] = policyId, ["account_id"] = r.AccountId, ["name"] = name, ["description"] = Str(body, "description"),
            ["enabled"] = Bool(body, "enabled"), ["source_posture_checks"] = StrList(body, "source_posture_checks") is { } checks
                ? new JsonArray([.. checks.Select(s => (JsonNode)s)]) : null,
            ["rules"] = rules,
        };
        store.Put("policies", policy);
        return PolicyJson(policy);
    }

    private JsonObject DeletePolicy(Request r)
    {
        Policy(r.AccountId, r.Id);
        store.Delete("policies", r.Id);
        return [];
    }

    // --- setup keys (management/server/http/handlers/setup_keys/setupkeys_handler.go, types/setupkey.go) ---

    private IEnumerable<JsonObject> SetupKeys(string accountId) => store.All("setup_keys").Where(k => k["account_id"]!.GetValue<string>() == accountId);

    private JsonObject SetupKey(string accountId, string id) =>
        SetupKeys(accountId).FirstOrDefault(k => k["id"]!.GetValue<string>() == id) ?? throw ApiError.NotFound($"setup key: {id} not found");

    private static string KeyState(JsonObject key)
    {
        var expires = key["expires"]!.GetValue<string>();
        if (expires != Zero && DateTimeOffset.Parse(expires, CultureInfo.InvariantCulture) < DateTimeOffset.UtcNow)
        {
            return "expired";
        }

        if (key["revoked"]!.GetValue<bool>())
        {
            return "revoked";
        }

        var limit = key["usage_limit"]!.GetValue<int>();
        return limit > 0 && key["used_times"]!.GetValue<int>() >= limit ? "overused" : "valid";
    }

    private static JsonObject SetupKeyJson(JsonObject key, string? plain)
    {
        var state = KeyState(key);
        return new JsonObject
        {
            ["id"] = key["id"]!.GetValue<string>(), ["key"] = plain ?? key["key_secret"]!.GetValue<string>(), ["name"] = key["name"]!.GetValue<string>(),
            ["expires"] = key["expires"]!.GetValue<string>(), ["type"] = key["type"]!.GetValue<string>(), ["valid"] = state == "valid",
            ["revoked"] = key["revoked"]!.GetValue<bool>(), ["used_times"] = key["used_times"]!.GetValue<int>(),
            ["last_used"] = key["last_used"]!.GetValue<string>(), ["state"] = state, ["auto_groups"] = key["auto_groups"]!.DeepClone(),
            ["updated_at"] = key["updated_at"]!.GetValue<string>(), ["usage_limit"] = key["usage_limit"]!.GetValue<int>(),
            ["ephemeral"] = key["ephemeral"]!.GetValue<bool>(), ["allow_extra_dns_labels"] = key["allow_extra_dns_labels"]!.GetValue<bool>(),
        };
    }

    private void CheckAutoGroups(string accountId, List<string> ids)
    {
        foreach (var id in ids)
        {
            var group = Groups(accountId).FirstOrDefault(g => g["id"]!.GetValue<string>() == id)
                ?? throw ApiError.InvalidArgument($"invalid auto groups: group not found: {id}");
            if (group["name"]!.GetValue<string>() == "All")
            {
                throw ApiError.InvalidArgument("invalid auto groups: can't add 'All' group to the setup key");
            }
        }
    }

    private JsonObject CreateSetupKey(Request r)
    {
        var body = Decode(r.RawBody);
        var name = Str(body, "name");
        if (name.Length == 0)
        {
            throw ApiError.InvalidArgument("setup key name shouldn't be empty");
        }

        var type = Str(body, "type");
        if (type is not ("reusable" or "one-off"))
        {
            throw ApiError.InvalidArgument($"unknown setup key type {type}");
        }

        var expiresIn = body["expires_in"] is null ? 0 : Int(body, "expires_in");
        if (expiresIn < 0)
        {
            throw ApiError.InvalidArgument("expiresIn can not be in the past");
        }

        var autoGroups = StrList(body, "auto_groups") ?? [];
        CheckAutoGroups(r.AccountId, autoGroups);
        var usageLimit = type == "one-off" ? 1 : body["usage_limit"] is null ? 0 : Int(body, "usage_limit");
        var plain = Ids.SetupKey();
        var key = new JsonObject
        {
            ["id"] = Ids.Xid(), ["account_id"] = r.AccountId, ["name"] = name, ["type"] = type, ["hashed_key"] = Ids.Hash(plain),
            ["key_secret"] = Ids.Hidden(plain), ["expires"] = expiresIn == 0 ? Zero : Stamp(DateTimeOffset.UtcNow.AddSeconds(expiresIn)),
            ["revoked"] = false, ["used_times"] = 0, ["last_used"] = Zero, ["auto_groups"] = new JsonArray([.. autoGroups.Select(g => (JsonNode)g)]),
            ["updated_at"] = Now(), ["usage_limit"] = usageLimit, ["ephemeral"] = Bool(body, "ephemeral"),
            ["allow_extra_dns_labels"] = Bool(body, "allow_extra_dns_labels"),
        };
        store.Put("setup_keys", key);
        return SetupKeyJson(key, plain); // the only answer that carries the plain key
    }

    private JsonObject UpdateSetupKey(Request r)
    {
        var body = Decode(r.RawBody);
        var autoGroups = StrList(body, "auto_groups") ?? throw ApiError.InvalidArgument("setup key AutoGroups field is invalid");
        var revoked = Bool(body, "revoked");
        var key = SetupKey(r.AccountId, r.Id);
        CheckAutoGroups(r.AccountId, autoGroups);
        if (key["revoked"]!.GetValue<bool>() && !revoked)
        {
            throw ApiError.InvalidArgument("can't un-revoke a revoked setup key");
        }

        key["revoked"] = revoked;
        key["auto_groups"] = new JsonArray([.. autoGroups.Select(g => (JsonNode)g)]);
        key["updated_at"] = Now();
        store.Put("setup_keys", key);
        return SetupKeyJson(key, null);
    }

    private JsonObject DeleteSetupKey(Request r)
    {
        SetupKey(r.AccountId, r.Id);
        store.Delete("setup_keys", r.Id);
        return [];
    }

    // --- peers ---

    private IEnumerable<JsonObject> Peers(string accountId) => store.All("peers").Where(p => p["account_id"]!.GetValue<string>() == accountId);

    private JsonObject Peer(string accountId, string id) =>
        Peers(accountId).FirstOrDefault(p => p["id"]!.GetValue<string>() == id) ?? throw ApiError.NotFound($"peer not found: {id}");

    private JsonObject PeerJson(JsonObject peer)
    {
        var id = peer["id"]!.GetValue<string>();
        var groups = store.All("groups").Where(g => g["peers"]!.AsArray().Any(p => p!.GetValue<string>() == id))
            .Select(g => (JsonNode)new JsonObject
            {
                ["id"] = g["id"]!.GetValue<string>(), ["name"] = g["name"]!.GetValue<string>(), ["peers_count"] = g["peers"]!.AsArray().Count,
                ["resources_count"] = 0,
            });
        return new JsonObject
        {
            ["id"] = id, ["name"] = peer["name"]!.GetValue<string>(), ["ip"] = peer["ip"]!.GetValue<string>(),
            ["connected"] = peer["connected"]!.GetValue<bool>(), ["last_seen"] = peer["last_seen"]!.GetValue<string>(),
            ["os"] = peer["os"]!.GetValue<string>(), ["version"] = peer["version"]!.GetValue<string>(),
            ["hostname"] = peer["hostname"]!.GetValue<string>(), ["dns_label"] = peer["dns_label"]!.GetValue<string>(),
            ["user_id"] = "", ["ssh_enabled"] = false, ["login_expiration_enabled"] = false, ["login_expired"] = false,
            ["approval_required"] = false, ["groups"] = new JsonArray([.. groups]),
        };
    }

    private JsonObject DeletePeer(Request r)
    {
        Peer(r.AccountId, r.Id);
        store.Delete("peers", r.Id);
        foreach (var group in Groups(r.AccountId).ToList())
        {
            var members = group["peers"]!.AsArray();
            if (members.Any(p => p!.GetValue<string>() == r.Id))
            {
                group["peers"] = new JsonArray([.. members.Where(p => p!.GetValue<string>() != r.Id).Select(p => p!.DeepClone())]);
                store.Put("groups", group);
            }
        }

        return [];
    }

    /// <summary>
    /// Double-only enrolment (the real client logs in over the encrypted gRPC Login): a known WireGuard key logs in
    /// again without a setup key; a new one needs a valid key (not revoked, not expired, not used up), gets a free
    /// address of the account's /16 and joins All and the key's auto groups.
    /// </summary>
    private JsonObject DoubleLogin(Request r)
    {
        var body = Decode(r.RawBody);
        var wgKey = Str(body, "wg_pub_key");
        var hostname = Str(body, "hostname");
        if (wgKey.Length == 0 || hostname.Length == 0)
        {
            throw ApiError.InvalidArgument("wg_pub_key and hostname are required");
        }

        var peer = store.All("peers").FirstOrDefault(p => p["wg_pub_key"]!.GetValue<string>() == wgKey);
        if (peer is null)
        {
            var hash = Ids.Hash(Str(body, "setup_key"));
            var key = store.All("setup_keys").FirstOrDefault(k => k["hashed_key"]!.GetValue<string>() == hash)
                ?? throw ApiError.NotFound("couldn't add peer: setup key is invalid");
            if (KeyState(key) != "valid")
            {
                throw ApiError.NotFound("couldn't add peer: setup key is invalid");
            }

            var accountId = key["account_id"]!.GetValue<string>();
            var network = IPNetwork.Parse(Account(accountId)["network"]!.GetValue<string>());
            var taken = Peers(accountId).Select(p => p["ip"]!.GetValue<string>()).ToHashSet();
            var prefix = network.BaseAddress.GetAddressBytes();
            string ip;
            do
            {
                var host = 1 + RandomNumberGenerator.GetInt32(65534); // not the network nor the broadcast address
                ip = $"{prefix[0]}.{prefix[1]}.{host >> 8}.{host & 255}";
            }
            while (taken.Contains(ip));

            var label = LabelRx().Replace(hostname.ToLowerInvariant(), "-").Trim('-');
            if (Peers(accountId).Any(p => p["dns_label"]!.GetValue<string>() == label))
            {
                label = $"{label}-{RandomNumberGenerator.GetInt32(1000):D3}";
            }

            peer = new JsonObject
            {
                ["id"] = Ids.Xid(), ["account_id"] = accountId, ["wg_pub_key"] = wgKey, ["name"] = hostname, ["hostname"] = hostname,
                ["dns_label"] = label, ["ip"] = ip, ["connected"] = true, ["last_seen"] = Now(), ["os"] = Str(body, "os"),
                ["version"] = Str(body, "version"),
            };
            store.Put("peers", peer);
            key["used_times"] = key["used_times"]!.GetValue<int>() + 1;
            key["last_used"] = Now();
            store.Put("setup_keys", key);
            var peerId = peer["id"]!.GetValue<string>();
            var autoGroups = key["auto_groups"]!.AsArray().Select(g => g!.GetValue<string>()).ToHashSet();
            foreach (var group in Groups(accountId).Where(g => g["name"]!.GetValue<string>() == "All" || autoGroups.Contains(g["id"]!.GetValue<string>())).ToList())
            {
                group["peers"]!.AsArray().Add(peerId);
                store.Put("groups", group);
            }
        }
        else
        {
            peer["connected"] = true;
            peer["last_seen"] = Now();
            store.Put("peers", peer);
        }

        var account = Account(peer["account_id"]!.GetValue<string>());
        var domain = account["settings"]!["dns_domain"]!.GetValue<string>();
        domain = domain.Length > 0 ? domain : DefaultDnsDomain;
        return new JsonObject
        {
            ["peer_id"] = peer["id"]!.GetValue<string>(), ["ip"] = peer["ip"]!.GetValue<string>(),
            ["network"] = account["network"]!.GetValue<string>(), ["fqdn"] = $"{peer["dns_label"]!.GetValue<string>()}.{domain}",
            ["dns_domain"] = domain,
        };
    }

    // --- JSON decoding as Go's encoding/json into the API structs: a wrong JSON kind fails the whole body ---

    private static JsonObject Decode(string raw, string message = "couldn't parse JSON request")
    {
        try
        {
            return JsonNode.Parse(raw) as JsonObject ?? throw ApiError.BadJson(message);
        }
        catch (JsonException)
        {
            throw ApiError.BadJson(message);
        }
    }

    private static string Str(JsonObject o, string key, string message = "couldn't parse JSON request") => o[key] switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ApiError.BadJson(message),
    };

    private static bool Bool(JsonObject o, string key, string message = "couldn't parse JSON request") => o[key] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw ApiError.BadJson(message),
    };

    private static int Int(JsonObject o, string key, string message = "couldn't parse JSON request") =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : throw ApiError.BadJson(message);

    private static List<string>? StrList(JsonObject o, string key) => o[key] switch
    {
        null => null,
        JsonArray a => [.. a.Select(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw ApiError.BadJson())],
        _ => throw ApiError.BadJson(),
    };

    private static string Now() => Stamp(DateTimeOffset.UtcNow);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static Regex Rx(string template) =>
        new("^" + Regex.Escape(template).Replace(@"\{id}", "(?<id>[^/]+)", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^[^@\s<>]+@[^@\s<>]+$")]
    private static partial Regex EmailRx();

    // Labels of letters, digits, '-' and '_' (not at either end), optional xn-- prefix, dot-separated.
    [GeneratedRegex(@"^(?:(?:xn--)?[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)*(?:xn--)?[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainRx();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex LabelRx();
}

using System.Text.Json.Nodes;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;
using Boma.Infra.Tests.Config;
using Boma.Infra.Tests.Stacks;

namespace Boma.Infra.Tests.Hosts;

/// <summary>
/// Runs the real hosts/netbird-api scripts (bash + curl + jq) against an in-memory fake of the
/// management API: idempotency, ordering (policies before Default is removed), and that no token,
/// password or setup key reaches a log line.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the scripts and file modes are Linux-only
public sealed class NetbirdApiScriptTests
{
    private const string Password = "correct-horse-battery";
    private static readonly string[] InfraServers = ["infra", "servers"];
    private static readonly string[] PolicyNames = ["infra-mesh", "road-warriors-ssh"];
    private static readonly string[] Port53 = ["53"];

    private FakeNetbirdApi _api = null!;
    private string _state = null!;

    [SetUp]
    public void SetUp()
    {
        Tools.Require("curl");
        Tools.Require("jq");
        _api = new FakeNetbirdApi();
        _state = Directory.CreateTempSubdirectory("boma-nb-state-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _api.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private Task<Tools.Result> Script(string name, string[] args, string? stdin = null, Dictionary<string, string>? env = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["NB_API"] = _api.Url,
            ["NB_STATE_DIR"] = _state,
            ["NB_OWNER_EMAIL"] = "admin@example.org",
        };
        foreach (var (k, v) in env ?? [])
        {
            environment[k] = v;
        }

        return Tools.RunAsync(Tools.Require("bash"), [Tools.Repo("hosts", "netbird-api", name), .. args], stdin ?? string.Empty, environment);
    }

    private static void AssertNoSecret(Tools.Result result, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.That(result.Stderr, Does.Not.Contain(secret), "a secret reached stderr (the log)");
        }
    }

    private async Task SetUpInstance()
    {
        var result = await Script("setup.sh", [], Password + "\n");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [Test]
    public async Task Setup_claims_the_instance_once_stores_the_token_0600_and_prints_nothing_secret()
    {
        var first = await Script("setup.sh", [], Password + "\n");

        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Assert.That(_api.OwnerPassword, Is.EqualTo(Password));
        var tokenFile = Path.Combine(_state, "admin.pat");
        Assert.That(File.ReadAllText(tokenFile).Trim(), Is.EqualTo(FakeNetbirdApi.Pat));
        Assert.That(File.GetUnixFileMode(tokenFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(first.Stdout, Is.Empty, "without --emit-token nothing goes to stdout");
        AssertNoSecret(first, FakeNetbirdApi.Pat, Password);

        var second = await Script("setup.sh", ["--emit-token"], string.Empty);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);
        Assert.That(second.Stdout.Trim(), Is.EqualTo(FakeNetbirdApi.Pat), "--emit-token: the token is the only stdout line");
        AssertNoSecret(second, FakeNetbirdApi.Pat, Password);
        Assert.That(_api.Requests.Count(r => r == "POST /api/setup"), Is.EqualTo(1), "the rerun does not call /api/setup again");
        Assert.That(_api.Requests, Does.Contain("GET /api/users/current"), "the rerun checks the stored token");
        Assert.That(_api.AuthHeaders, Is.All.EqualTo($"Token {FakeNetbirdApi.Pat}"));
    }

    [Test]
    public async Task No_secret_is_ever_on_a_command_line()
    {
        // Wrappers named curl and jq record their argv, then run the real tool: a token, password or key in
        // an argument would be visible to every user through ps.
        var bin = Path.Combine(_state, "argv-bin");
        Directory.CreateDirectory(bin);
        var log = Path.Combine(_state, "argv.log");
        foreach (var tool in new[] { "curl", "jq" })
        {
            var wrapper = Path.Combine(bin, tool);
            File.WriteAllText(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" >> '{log}'\nexec {Tools.Require(tool)} \"$@\"\n");
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var env = new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["NB_KEY_NAME"] = "servers",
            ["NB_KEY_GROUPS"] = "infra",
        };
        Assert.That((await Script("setup.sh", ["--emit-token"], Password + "\n", env)).ExitCode, Is.Zero);
        var key = await Script("setup-key.sh", ["--emit-key"], env: env);
        Assert.That(key.ExitCode, Is.Zero, key.Stderr);
        var spec = Path.Combine(_state, "p.json");
        File.WriteAllText(spec, """{"policies": [{"name": "p", "rules": [{"name": "r", "sources": ["a"], "destinations": ["b"]}]}]}""");
        Assert.That((await Script("policies.sh", [spec], env: env)).ExitCode, Is.Zero);

        var argv = File.ReadAllText(log);
        Assert.That(argv, Does.Contain("/api/setup-keys"), "the wrappers saw the calls");
        Assert.That(argv, Does.Not.Contain(FakeNetbirdApi.Pat).And.Not.Contain(Password).And.Not.Contain(key.Stdout.Trim()));
    }

    [Test]
    public async Task Setup_on_an_instance_claimed_elsewhere_without_a_token_file_says_how_to_recover()
    {
        _api.SetupDone = true;
        var result = await Script("setup.sh", [], Password + "\n");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("already set up").And.Contain("admin.pat"));
    }

    [Test]
    public async Task Setup_rejects_a_short_password_without_calling_setup()
    {
        var result = await Script("setup.sh", [], "short\n");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("at least 8 characters"));
        Assert.That(_api.Requests, Does.Not.Contain("POST /api/setup"));
    }

    [Test]
    public async Task Setup_key_is_created_once_reused_and_rotated_when_its_spec_changes()
    {
        await SetUpInstance();
        var env = new Dictionary<string, string>
        {
            ["NB_KEY_NAME"] = "servers", ["NB_KEY_TYPE"] = "reusable", ["NB_KEY_GROUPS"] = "infra,servers",
        };

        var first = await Script("setup-key.sh", ["--emit-key"], env: env);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var key = first.Stdout.Trim();
        Assert.That(key, Does.EndWith("-AAAA-BBBB-CCCC-DDDDEEEEFFFF"));
        AssertNoSecret(first, key, FakeNetbirdApi.Pat);
        Assert.That(_api.Groups.Select(g => g["name"]!.GetValue<string>()), Is.SupersetOf(InfraServers));
        var keyFile = Path.Combine(_state, "setup-keys", "servers.key");
        Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var again = await Script("setup-key.sh", [], env: env);
        Assert.That(again.ExitCode, Is.Zero, again.Stderr);
        Assert.That(again.Stdout, Is.Empty);
        Assert.That(_api.SetupKeys, Has.Count.EqualTo(1), "same spec: no new key");

        env["NB_KEY_EXPIRES_IN"] = "86400";
        var rotated = await Script("setup-key.sh", ["--emit-key"], env: env);
        Assert.That(rotated.ExitCode, Is.Zero, rotated.Stderr);
        Assert.That(rotated.Stdout.Trim(), Is.Not.EqualTo(key));
        Assert.That(_api.SetupKeys, Has.Count.EqualTo(2));
        Assert.That(_api.SetupKeys[0]["revoked"]!.GetValue<bool>(), Is.True, "the old key is revoked before the new one is issued");
        var requests = _api.Requests.ToList();
        Assert.That(requests.LastIndexOf("PUT /api/setup-keys/" + _api.SetupKeys[0]["id"]), Is.LessThan(requests.LastIndexOf("POST /api/setup-keys")));
        AssertNoSecret(rotated, key, rotated.Stdout.Trim());
    }

    [Test]
    public async Task A_new_rotation_value_revokes_the_key_and_issues_a_new_one_with_the_same_spec()
    {
        await SetUpInstance();
        var env = new Dictionary<string, string>
        {
            ["NB_KEY_NAME"] = "cluster", ["NB_KEY_TYPE"] = "reusable", ["NB_KEY_EXPIRES_IN"] = "2592000", ["NB_KEY_USAGE_LIMIT"] = "20",
            ["NB_KEY_GROUPS"] = "cluster", ["NB_KEY_ROTATION"] = "0",
        };
        var first = await Script("setup-key.sh", ["--emit-key"], env: env);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Assert.That((await Script("setup-key.sh", [], env: env)).ExitCode, Is.Zero);
        Assert.That(_api.SetupKeys, Has.Count.EqualTo(1), "same rotation: the key is reused");

        env["NB_KEY_ROTATION"] = "2026-12-02";
        var rotated = await Script("setup-key.sh", ["--emit-key"], env: env);
        Assert.That(rotated.ExitCode, Is.Zero, rotated.Stderr);
        Assert.Multiple(() =>
        {
            Assert.That(rotated.Stdout.Trim(), Is.Not.EqualTo(first.Stdout.Trim()));
            Assert.That(_api.SetupKeys, Has.Count.EqualTo(2));
            Assert.That(_api.SetupKeys[0]["revoked"]!.GetValue<bool>(), Is.True, "the old key stops working");
            Assert.That(_api.SetupKeys[1]["usage_limit"]!.GetValue<int>(), Is.EqualTo(20));
            Assert.That(_api.SetupKeys[1]["expires_in"]!.GetValue<int>(), Is.EqualTo(2592000));
        });
    }

    [Test]
    public async Task A_revoked_key_on_the_server_is_replaced_even_with_the_same_spec()
    {
        await SetUpInstance();
        var env = new Dictionary<string, string> { ["NB_KEY_NAME"] = "road-warriors", ["NB_KEY_TYPE"] = "one-off", ["NB_KEY_EXPIRES_IN"] = "3600" };
        Assert.That((await Script("setup-key.sh", [], env: env)).ExitCode, Is.Zero);
        _api.SetupKeys[0]["valid"] = false; // used up or expired
        Assert.That((await Script("setup-key.sh", [], env: env)).ExitCode, Is.Zero);
        Assert.That(_api.SetupKeys, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Policies_are_created_before_Default_is_deleted_and_a_rerun_only_updates()
    {
        await SetUpInstance();
        var spec = Path.Combine(_state, "policies.json");
        File.WriteAllText(spec, """
            {"removeDefault": true, "policies": [
              {"name": "infra-mesh", "description": "servers talk to each other",
               "rules": [{"name": "infra-all", "sources": ["infra"], "destinations": ["infra"], "protocol": "all", "bidirectional": true}]},
              {"name": "road-warriors-ssh", "rules": [{"name": "rw-ssh", "sources": ["road-warriors"], "destinations": ["infra"], "protocol": "tcp", "ports": ["22"]}]}
            ]}
            """);

        var first = await Script("policies.sh", [spec]);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        var requests = _api.Requests.ToList();
        var lastPost = requests.LastIndexOf("POST /api/policies");
        var delete = requests.IndexOf("DELETE /api/policies/default-xid");
        Assert.That(delete, Is.GreaterThan(lastPost), "new policies first, then Allow-All removed");
        Assert.That(_api.Policies.Select(p => p["name"]!.GetValue<string>()), Is.EquivalentTo(PolicyNames));

        var ssh = _api.Policies.Single(p => p["name"]!.GetValue<string>() == "road-warriors-ssh")["rules"]![0]!;
        var groupId = (string name) => _api.Groups.Single(g => g["name"]!.GetValue<string>() == name)["id"]!.GetValue<string>();
        Assert.That(ssh["sources"]![0]!.GetValue<string>(), Is.EqualTo(groupId("road-warriors")), "group names are resolved to IDs");
        Assert.That(ssh["ports"]![0]!.GetValue<string>(), Is.EqualTo("22"));
        Assert.That(JsonNode.Parse(first.Stdout)!.AsObject().Select(p => p.Key), Is.EquivalentTo(PolicyNames));

        var before = _api.Requests.Count;
        var second = await Script("policies.sh", [spec]);
        Assert.That(second.ExitCode, Is.Zero, second.Stderr);
        var rerun = _api.Requests.Skip(before).ToList();
        Assert.That(rerun, Has.None.EqualTo("POST /api/policies").And.None.StartsWith("DELETE"));
        Assert.That(rerun.Count(r => r.StartsWith("PUT /api/policies/", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(_api.Policies, Has.Count.EqualTo(2));
        AssertNoSecret(first, FakeNetbirdApi.Pat);
    }

    [Test]
    public async Task The_products_role_policies_and_role_keys_reach_the_api_as_upstream_takes_them()
    {
        // The policy file and key specs exactly as the offsite stack renders them from the default config.
        await SetUpInstance();
        var netbird = Boma.Infra.Config.NetbirdSettings.Load(new DictionaryConfigSource(ValidConfig.Values(), ValidConfig.SecretKeys()), "example.org").Netbird;
        var spec = Path.Combine(_state, "policies.json");
        File.WriteAllText(spec, Boma.Infra.Components.NetbirdPolicyFile.Render(netbird));

        var policies = await Script("policies.sh", [spec]);
        Assert.That(policies.ExitCode, Is.Zero, policies.Stderr);
        string GroupId(string name) => _api.Groups.Single(g => g["name"]!.GetValue<string>() == name)["id"]!.GetValue<string>();
        foreach (var protocol in new[] { "udp", "tcp" })
        {
            var rule = _api.Policies.Single(p => p["name"]!.GetValue<string>() == $"cluster-dns-53-{protocol}")["rules"]![0]!;
            Assert.Multiple(() =>
            {
                Assert.That(rule["protocol"]!.GetValue<string>(), Is.EqualTo(protocol));
                Assert.That(rule["ports"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(Port53));
                Assert.That(rule["bidirectional"]!.GetValue<bool>(), Is.False);
                Assert.That(rule["sources"]!.AsArray().Select(g => g!.GetValue<string>()), Is.EqualTo(new[] { GroupId("control"), GroupId("road-warriors") }));
                Assert.That(rule["destinations"]!.AsArray().Select(g => g!.GetValue<string>()), Is.EqualTo(new[] { GroupId("cluster-dns") }));
            });
        }

        foreach (var (role, key) in netbird.ClusterRoleKeys)
        {
            var result = await Script("setup-key.sh", ["--emit-key"], env: new Dictionary<string, string>
            {
                ["NB_KEY_NAME"] = key.Name, ["NB_KEY_TYPE"] = key.Type, ["NB_KEY_EXPIRES_IN"] = $"{key.ExpiresInSeconds}",
                ["NB_KEY_USAGE_LIMIT"] = $"{key.UsageLimit}", ["NB_KEY_GROUPS"] = string.Join(',', key.Groups), ["NB_KEY_ROTATION"] = netbird.KeyRotation,
            });
            Assert.That(result.ExitCode, Is.Zero, result.Stderr);
            AssertNoSecret(result, result.Stdout.Trim());
            // A group no policy names (cluster-docker, cluster-storage) is created by the key's script.
            var created = _api.SetupKeys.Single(k => k["name"]!.GetValue<string>() == $"cluster-{role}");
            Assert.That(created["auto_groups"]!.AsArray().Select(g => g!.GetValue<string>()), Is.EquivalentTo(new[] { GroupId("cluster"), GroupId($"cluster-{role}") }), role);
            Assert.That(created["usage_limit"]!.GetValue<int>(), Is.EqualTo(20), role);
            Assert.That(created["expires_in"]!.GetValue<int>(), Is.EqualTo(30 * 24 * 3600), role);
        }
    }

    [Test]
    public async Task Without_a_token_file_api_scripts_fail_with_the_fix()
    {
        var result = await Script("policies.sh", [Tools.Repo("hosts", "netbird-api", "policies.sh")]);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("needs a non-empty .policies array").Or.Contain("run setup.sh first"));
    }

    [Test]
    public async Task Account_dns_domain_is_set_once()
    {
        await SetUpInstance();
        var first = await Script("account.sh", ["boma.example.org"]);
        Assert.That(first.ExitCode, Is.Zero, first.Stderr);
        Assert.That(_api.Account["settings"]!["dns_domain"]!.GetValue<string>(), Is.EqualTo("boma.example.org"));
        Assert.That(_api.Account["settings"]!["peer_login_expiration"]!.GetValue<int>(), Is.EqualTo(86400), "other settings are kept");
        var puts = _api.Requests.Count(r => r.StartsWith("PUT /api/accounts", StringComparison.Ordinal));
        Assert.That((await Script("account.sh", ["boma.example.org"])).ExitCode, Is.Zero);
        Assert.That(_api.Requests.Count(r => r.StartsWith("PUT /api/accounts", StringComparison.Ordinal)), Is.EqualTo(puts));
        Assert.That((await Script("account.sh", ["Bad_Domain"])).Stderr, Does.Contain("not a lower-case domain name"));
    }
}

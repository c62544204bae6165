namespace Boma.Pulumi.Tests.Providers.HCloud;

using NUnit.Framework;
using Boma.Pulumi.HCloud;
using Boma.Pulumi.HCloud.Inputs;

[TestFixture]
public sealed class HCloudTests : PackageTests
{
    private static readonly int[] ServerOne = [1];
    private static readonly string[] Anywhere = ["0.0.0.0/0", "::/0"];
    private static readonly string[] TokenOutput = ["token"];

    public HCloudTests()
        : base("hcloud", Provider.TypeToken, Server.TypeToken, Firewall.TypeToken, FirewallAttachment.TypeToken, SshKey.TypeToken, PrimaryIp.TypeToken, Rdns.TypeToken)
    {
    }

    [TestCase(Server.TypeToken)]
    [TestCase(Firewall.TypeToken)]
    [TestCase(SshKey.TypeToken)]
    [TestCase(PrimaryIp.TypeToken)]
    public async Task Construction_without_an_explicit_name_fails_instead_of_getting_a_random_suffix(string token)
    {
        var args = Samples.ArgsFor(token);
        args.GetType().GetProperty("Name")!.SetValue(args, null);
        var type = SchemaConformance.ClassesOf("hcloud").Single(t => SchemaConformance.TokenOf(t) == token);

        var (error, result) = await ProviderRun.FailureOfAsync(() => Samples.Construct(type, "unnamed", args));

        Assert.That(error, Is.InstanceOf<ResourceException>());
        Assert.That(error!.Message, Does.Contain(token).And.Contain("'unnamed'").And.Contain("name:").And.Contain("Fix: set Name explicitly"));
        Assert.That(result?.Registrations.Any(r => r.Request.Type == token) ?? false, Is.False);
    }

    [Test]
    public async Task The_explicit_name_is_sent()
    {
        var result = await ProviderRun.RunAsync(() => _ = new Server("askari", (ServerArgs)Samples.ArgsFor(Server.TypeToken)));

        Assert.That(ProviderRun.Registration(result, Server.TypeToken).Inputs["name"]!.GetValue<string>(), Is.EqualTo("askari"));
    }

    [TestCase("tcp", null, "in", "rules[0].port: required for protocol tcp")]
    [TestCase("icmp", "22", "in", "rules[0].port: not allowed for protocol icmp")]
    [TestCase("tcp", "22", "sideways", "rules[0].direction: \"sideways\" is not an allowed value. Fix: use one of in, out.")]
    [TestCase("sctp", "22", "in", "rules[0].protocol: \"sctp\" is not an allowed value")]
    public async Task A_bad_firewall_rule_fails_before_anything_is_registered(string protocol, string? port, string direction, string expected)
    {
        var rule = new FirewallRuleArgs { Protocol = protocol, Direction = direction, SourceIps = new[] { "0.0.0.0/0" } };
        if (port is not null)
        {
            rule.Port = port;
        }

        var (error, result) = await ProviderRun.FailureOfAsync(() => _ = new Firewall("askari", new FirewallArgs { Name = "askari", Rules = new[] { rule } }));

        Assert.That(error, Is.InstanceOf<ResourceException>());
        Assert.That(error!.Message, Does.Contain(Firewall.TypeToken).And.Contain(expected).And.Contain("Fix:"));
        Assert.That(result?.Registrations.Any(r => r.Request.Type == Firewall.TypeToken) ?? false, Is.False);
    }

    [Test]
    public async Task Firewall_rules_and_integer_ids_go_out_in_the_schema_types()
    {
        var result = await ProviderRun.RunAsync(() =>
        {
            _ = new Firewall("fw", (FirewallArgs)Samples.ArgsFor(Firewall.TypeToken));
            _ = new Server("askari", (ServerArgs)Samples.ArgsFor(Server.TypeToken));
        });

        var rule = ProviderRun.Registration(result, Firewall.TypeToken).Inputs["rules"]![0]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(rule["direction"]!.GetValue<string>(), Is.EqualTo("in"));
            Assert.That(rule["port"]!.GetValue<string>(), Is.EqualTo("22"));
            Assert.That(rule["sourceIps"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(Anywhere));
            Assert.That(ProviderRun.Registration(result, Server.TypeToken).Inputs["firewallIds"]![0]!.GetValue<double>(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Provider_token_is_secret_and_poll_interval_stays_a_plain_duration_string()
    {
        var result = await ProviderRun.RunAsync(() => _ = new Provider("hetzner", (ProviderArgs)Samples.ArgsFor(Provider.TypeToken)));

        var registration = ProviderRun.Registration(result, Provider.TypeToken);
        Assert.Multiple(() =>
        {
            Assert.That(ProviderRun.IsSecret(registration.Inputs["token"]), Is.True);
            Assert.That(registration.Inputs["pollInterval"]!.GetValue<string>(), Is.EqualTo("1s"));
            Assert.That(registration.Request.AdditionalSecretOutputs, Is.EqualTo(TokenOutput));
        });
    }

    [Test]
    public async Task Rdns_needs_exactly_one_target()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new Rdns("ptr", new RdnsArgs { ServerId = 1, PrimaryIpId = 2, IpAddress = "203.0.113.10", DnsPtr = "a.example.org" }));

        Assert.That(error?.Message, Does.Contain("serverId: 2 targets set").And.Contain("Fix: set exactly one of"));
    }

    [Test]
    public async Task A_firewall_id_reaches_integer_inputs_as_a_number()
    {
        var result = await global::Boma.Pulumi.Deployment.TestAsync(new NumericIdMocks(), () =>
        {
            var firewall = new Firewall("fw", (FirewallArgs)Samples.ArgsFor(Firewall.TypeToken));
            _ = new FirewallAttachment("attach", new FirewallAttachmentArgs { FirewallId = NumericId.Of(firewall), ServerIds = ServerOne });
            return new Dictionary<string, object?>();
        });

        Assert.That(result.Exception, Is.Null);
        Assert.That(ProviderRun.Registration(result, FirewallAttachment.TypeToken).Inputs["firewallId"]!.GetValue<double>(), Is.EqualTo(4711));
    }

    [Test]
    public async Task A_non_numeric_id_fails_with_the_resource_named()
    {
        var result = await ProviderRun.RunAsync(() =>
        {
            var firewall = new Firewall("fw", (FirewallArgs)Samples.ArgsFor(Firewall.TypeToken));
            _ = new FirewallAttachment("attach", new FirewallAttachmentArgs { FirewallId = NumericId.Of(firewall), ServerIds = ServerOne });
        });

        Assert.That(result.Exception?.ToString(), Does.Contain("hcloud:index/firewall:Firewall 'fw' has ID \"fw-id\", which is not a number"));
    }

    [Test]
    public void Generated_classes_are_up_to_date_with_the_generator_and_schema_subsets()
    {
        var root = Path.GetFullPath(Path.Combine(SchemaSubset.Directory, "..", "..", "..", ".."));
        var start = new System.Diagnostics.ProcessStartInfo("node", ["tools/provider-gen/gen.mjs", "--check"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = System.Diagnostics.Process.Start(start)!;
        var output = node.StandardOutput.ReadToEnd() + node.StandardError.ReadToEnd();
        node.WaitForExit();

        Assert.That(node.ExitCode, Is.Zero, output);
    }

    private sealed class NumericIdMocks : global::Boma.Pulumi.Testing.IMocks
    {
        public Task<(string? Id, object State)> NewResourceAsync(global::Boma.Pulumi.Testing.MockResourceArgs args) =>
            Task.FromResult<(string?, object)>((args.Type == Firewall.TypeToken ? "4711" : args.Name + "-id", args.Inputs));

        public Task<object> CallAsync(global::Boma.Pulumi.Testing.MockCallArgs args) => Task.FromResult<object>(new Dictionary<string, object?>());
    }
}

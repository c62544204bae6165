using Boma.Infra.Policy;
using Boma.Pulumi;
using Boma.Pulumi.Testing;
using NUnit.Framework;

namespace Boma.Infra.Tests.Policy;

/// <summary>
/// Adapter (b) end to end: a small program runs against the SDK's recording monitor, and the same rule file
/// judges what it registered (secrets as the serializer really writes them, parents as the SDK really sets them).
/// </summary>
[TestFixture]
public class RecordedRegistrationTests
{
    private sealed class ServerArgs : ResourceArgs
    {
        [Input("userData")]
        public Input<string>? UserData { get; set; }

        [Input("firewallIds")]
        public InputList<int>? FirewallIds { get; set; }
    }

    private sealed class CommandArgs : ResourceArgs
    {
        [Input("create")]
        public Input<string>? Create { get; set; }

        [Input("stdin")]
        public Input<string>? Stdin { get; set; }

        [Input("logging")]
        public Input<string>? Logging { get; set; }
    }

    private sealed class Server(string name, ServerArgs args, CustomResourceOptions? options = null)
        : CustomResource("hcloud:index/server:Server", name, args, options);

    private sealed class RemoteCommand(string name, CommandArgs args, CustomResourceOptions? options = null)
        : CustomResource("command:remote:Command", name, args, options);

    private sealed class Host : ComponentResource
    {
        public Host(string name, string logging)
            : base("boma:test:Host", name)
        {
            _ = new Server(name, new ServerArgs { UserData = Output.CreateSecret("#cloud-config"), FirewallIds = new InputList<int> { 7 } },
                new CustomResourceOptions { Parent = this, Protect = true, IgnoreChanges = ["userData", "sshKeys"] });
            _ = new RemoteCommand($"{name}-env", new CommandArgs
            {
                Create = "install -m 600 /dev/stdin /etc/boma/env",
                Stdin = Output.CreateSecret("TOKEN=do-not-print"),
                Logging = logging,
            }, new CustomResourceOptions { Parent = this, AdditionalSecretOutputs = ["stdout", "stderr"] });
            RegisterOutputs(new Dictionary<string, object?>());
        }
    }

    private static async Task<IReadOnlyList<Violation>> Judge(Action program)
    {
        var result = await Deployment.TestAsync(new EchoMocks(), program, new TestOptions { ProjectName = "boma", StackName = "test" });
        Assert.That(result.Exception, Is.Null, result.Exception?.ToString());
        var views = RegistrationAdapter.FromTestResult(result);
        Assert.That(views.Select(v => v.Type), Does.Contain("pulumi:pulumi:Stack").And.Contain("hcloud:index/server:Server"));
        return new InvariantEvaluator(RuleSet.LoadDefault()).Check(views, EnforcementPoint.UnitTests);
    }

    [Test]
    public async Task A_compliant_component_passes()
    {
        var violations = await Judge(() => _ = new Host("askari", "none"));

        Assert.That(violations, Is.Empty, string.Join("\n", violations));
    }

    [Test]
    public async Task A_logging_command_with_a_secret_stdin_is_caught_through_the_real_serializer()
    {
        var violations = await Judge(() => _ = new Host("askari", "stdoutAndStderr"));

        Assert.That(violations.Select(v => v.RuleId), Is.EqualTo(new List<string> { "secret-command-logging" }));
        Assert.That(violations[0].Urn, Is.EqualTo("urn:pulumi:test::boma::boma:test:Host$command:remote:Command::askari-env"));
        Assert.That(violations[0].Message, Does.Not.Contain("do-not-print"));
    }

    [Test]
    public async Task A_resource_left_at_the_root_is_caught()
    {
        var violations = await Judge(() =>
        {
            _ = new Host("askari", "none");
            _ = new RemoteCommand("stray", new CommandArgs { Create = "uptime" });
        });

        Assert.That(violations.Single().RuleId, Is.EqualTo("parent-required"));
        Assert.That(violations.Single().Urn, Does.EndWith("command:remote:Command::stray"));
    }
}

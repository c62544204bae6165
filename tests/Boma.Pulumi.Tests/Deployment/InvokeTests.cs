using Boma.Pulumi.Testing;
using Boma.Pulumi.Tests.Testing;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Deployment;

using Deployment = Boma.Pulumi.Deployment;

[TestFixture]
public sealed class InvokeTests
{
    private sealed class FunctionMocks : IMocks
    {
        public Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args) =>
            Task.FromResult<(string?, object)>((null, args.WireInputs));

        public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(new Dictionary<string, object?>
        {
            ["port"] = 8080,
            ["protocol"] = $"{args.Token}:{args.Args["name"]}",
        });
    }

    [Test]
    public async Task Invoke_with_a_v_prefixed_version_fails_without_calling_the_engine()
    {
        var result = await Deployment.TestAsync(new FunctionMocks(), () =>
        {
            _ = Deployment.Invoke<RuleOutput>("test:index/getRule:getRule", new ServerArgs { Name = "x" },
                new InvokeOptions { Version = "v1.2.3" });
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<ResourceException>());
            Assert.That(result.Exception!.Message, Does.Contain("test:index/getRule:getRule"));
            Assert.That(result.Exception.Message, Does.Contain("'1.2.3'"));
            Assert.That(result.Monitor.Invokes, Is.Empty);
        });
    }

    [Test]
    public async Task Invoke_sends_the_token_args_and_inherited_provider_and_converts_the_result()
    {
        Output<RuleOutput>? rule = null;
        var result = await Deployment.TestAsync(new FunctionMocks(), () =>
        {
            var provider = new TestProvider("p");
            var box = new ComponentResource("boma:index:Box", "box", new ComponentResourceOptions { Providers = [provider] });
            rule = Deployment.Invoke<RuleOutput>("test:index/getRule:getRule", new ServerArgs { Name = "x" },
                new InvokeOptions { Parent = box, Version = "1.2.3" });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var call = result.Monitor.Invokes.Single();
        var providerUrn = result.Registrations.Single(r => r.Request.Name == "p").Urn;
        Assert.Multiple(async () =>
        {
            Assert.That(call.Tok, Is.EqualTo("test:index/getRule:getRule"));
            Assert.That(call.Args.Fields["name"].StringValue, Is.EqualTo("x"));
            Assert.That(call.Provider, Is.EqualTo($"{providerUrn}::p-id"));
            Assert.That(call.Version, Is.EqualTo("1.2.3"));
            var value = await rule!.GetValueAsync();
            Assert.That(value.Port, Is.EqualTo(8080));
            Assert.That(value.Protocol, Is.EqualTo("test:index/getRule:getRule:x"));
        });
    }

    [Test]
    public async Task Invoke_with_unknown_arguments_in_preview_is_not_sent()
    {
        Output<object>? value = null;
        var result = await Deployment.TestAsync(new FunctionMocks(), () =>
        {
            var s = new Server("s", new ServerArgs { Name = "s" });
            value = Deployment.Invoke<object>("test:index/getRule:getRule", new ServerArgs { Name = s.Id });
        }, new TestOptions { IsPreview = true });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(result.Monitor.Invokes, Is.Empty);
        Assert.That(await value!.IsKnownAsync(), Is.False);
    }
}

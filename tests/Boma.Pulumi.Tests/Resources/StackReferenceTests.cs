using Boma.Pulumi.Testing;
using Google.Protobuf.WellKnownTypes;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Resources;

using Deployment = Boma.Pulumi.Deployment;

[TestFixture]
public sealed class StackReferenceTests
{
    private sealed class OtherStackMocks : IMocks
    {
        public Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
        {
            if (args.Type != "pulumi:pulumi:StackReference")
            {
                return Task.FromResult<(string?, object)>((null, args.WireInputs));
            }

            var secret = new Struct();
            secret.Fields[Boma.Pulumi.Serialization.Constants.SpecialSigKey] = Value.ForString(Boma.Pulumi.Serialization.Constants.SecretSig);
            secret.Fields["value"] = Value.ForString("setup-key");
            var outputs = new Struct();
            outputs.Fields["managementUrl"] = Value.ForString("https://netbird.example.org");
            outputs.Fields["setupKey"] = Value.ForStruct(secret);
            var state = new Struct();
            state.Fields["name"] = Value.ForString(args.Id ?? "");
            state.Fields["outputs"] = Value.ForStruct(outputs);
            state.Fields["secretOutputNames"] = Value.ForList(Value.ForString("setupKey"));
            return Task.FromResult<(string?, object)>((args.Id, state));
        }

        public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(new Dictionary<string, object?>());
    }

    [Test]
    public async Task Reads_the_other_stack_and_keeps_secret_outputs_secret()
    {
        Output<object?>? url = null;
        Output<object>? key = null;
        Output<object?>? missing = null;
        StackReference? reference = null;
        var result = await Deployment.TestAsync(new OtherStackMocks(), () =>
        {
            reference = new StackReference("offsite", new StackReferenceArgs { Name = "org/boma/offsite" });
            url = reference.GetOutput("managementUrl");
            key = reference.RequireOutput("setupKey");
            missing = reference.GetOutput("nope");
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var read = result.Registrations.Single(r => r.Request.Type == "pulumi:pulumi:StackReference");
        Assert.Multiple(async () =>
        {
            Assert.That(read.IsRead, Is.True);
            Assert.That(read.Request.ImportId, Is.EqualTo("org/boma/offsite"));
            Assert.That(read.Inputs.ToJsonString(), Is.EqualTo("{\"name\":\"org/boma/offsite\"}"));
            Assert.That(await url!.GetValueAsync(), Is.EqualTo("https://netbird.example.org"));
            Assert.That(await Output.IsSecretAsync(url!), Is.False);
            Assert.That(await key!.GetValueAsync(), Is.EqualTo("setup-key"));
            Assert.That(await Output.IsSecretAsync(key!), Is.True);
            Assert.That(await missing!.GetValueAsync(), Is.Null);
            Assert.That(await reference!.GetValueAsync("managementUrl"), Is.EqualTo("https://netbird.example.org"));
            Assert.ThrowsAsync<InvalidOperationException>(() => reference!.GetValueAsync("setupKey"));
        });
    }

    [Test]
    public async Task RequireOutput_of_a_missing_name_fails_naming_the_stack_and_the_output()
    {
        var result = await Deployment.TestAsync(new OtherStackMocks(), () =>
        {
            var reference = new StackReference("offsite", new StackReferenceArgs { Name = "org/boma/offsite" });
            return new Dictionary<string, object?> { ["x"] = reference.RequireOutput("enrolmentUrl") };
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            // The official SDK's exception and wording.
            Assert.That(result.Exception, Is.TypeOf<KeyNotFoundException>());
            Assert.That(result.Exception!.Message, Does.Contain("Required output 'enrolmentUrl' does not exist on stack"));
            Assert.That(result.Exception.Message, Does.Contain("org/boma/offsite"));
        });
    }
}

using System.Collections.Immutable;
using Boma.Pulumi.Testing;
using Boma.Pulumi.Tests.Testing;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Core;

[TestFixture]
public sealed class OutputTests
{
    [Test]
    public async Task Apply_on_unknown_does_not_run_and_stays_unknown_keeping_secret()
    {
        var ran = false;
        var unknown = Output<string>.Unknown(isSecret: true);
        var applied = unknown.Apply(v => { ran = true; return v.Length; });
        var data = await applied.DataTask;
        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.False);
            Assert.That(data.IsKnown, Is.False);
            Assert.That(data.IsSecret, Is.True);
        });
    }

    [Test]
    public async Task Secret_propagates_through_apply_all_tuple_and_format_and_unsecret_removes_it()
    {
        var secret = Output.CreateSecret("pw");
        var plain = Output.Create(3);
        Assert.Multiple(async () =>
        {
            Assert.That(await Output.IsSecretAsync(secret.Apply(s => s + "!")), Is.True);
            Assert.That(await Output.IsSecretAsync(plain.Apply(n => secret.Apply(s => s + n))), Is.True);
            Assert.That(await Output.IsSecretAsync(Output.All(secret, Output.Create("x"))), Is.True);
            Assert.That(await Output.IsSecretAsync(Output.Tuple<int, string>(plain, secret)), Is.True);
            Assert.That(await Output.IsSecretAsync(Output.Format($"{plain}:{secret}")), Is.True);
            Assert.That(await Output.IsSecretAsync(Output.Format($"{plain}")), Is.False);
            Assert.That(await Output.IsSecretAsync(Output.Unsecret(secret)), Is.False);
            var unknownMadeSecret = await Output.CreateSecret(Output<string>.Unknown()).DataTask;
            Assert.That((unknownMadeSecret.IsKnown, unknownMadeSecret.IsSecret), Is.EqualTo((false, true)));
            Assert.That(await Output.Format($"{plain}:{secret}:{1.5}").GetValueAsync(), Is.EqualTo("3:pw:1.5"));
            Assert.That(await Output.Tuple<int, string, int>(plain, secret, 4).GetValueAsync(), Is.EqualTo((3, "pw", 4)));
        });
    }

    [Test]
    public async Task Unknown_propagates_through_all_and_format()
    {
        var unknown = Output<string>.Unknown();
        Assert.Multiple(async () =>
        {
            Assert.That(await Output.All(unknown, Output.Create("x")).IsKnownAsync(), Is.False);
            Assert.That(await Output.Format($"a-{unknown}").IsKnownAsync(), Is.False);
            Assert.That(await Output.Create("x").Apply(_ => unknown).IsKnownAsync(), Is.False);
            Assert.That(await Output.All(Output.Create(1), Output.Create(2)).GetValueAsync(), Is.EqualTo(ImmutableArray.Create(1, 2)));
        });
    }

    [Test]
    public async Task Dependencies_propagate_through_apply_all_and_format()
    {
        Server? a = null;
        Server? b = null;
        Output<string>? formatted = null;
        Output<ImmutableArray<string>>? all = null;
        Output<int>? applied = null;
        var result = await Boma.Pulumi.Deployment.TestAsync(new EchoMocks(), () =>
        {
            a = new Server("a", new ServerArgs { Name = "a" });
            b = new Server("b", new ServerArgs { Name = "b" });
            formatted = Output.Format($"{a.Id}/{b.Name}");
            all = Output.All(a.Name, Output.Create("c"));
            applied = a.Id.Apply(_ => b.Size);
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That((await formatted!.GetOutputDataAsync()).Resources, Is.EquivalentTo(new Resource[] { a!, b! }));
            Assert.That(await formatted!.GetValueAsync(), Is.EqualTo("a-id/b"));
            Assert.That((await all!.GetOutputDataAsync()).Resources, Is.EquivalentTo(new Resource[] { a! }));
            Assert.That((await applied!.GetOutputDataAsync()).Resources, Is.EquivalentTo(new Resource[] { a!, b! }));
        });
    }

    [Test]
    public async Task Create_from_task_and_input_conversions()
    {
        Input<string> fromValue = "v";
        Input<string> fromOutput = Output.CreateSecret("s");
        InputList<string> list = new List<string> { "a", "b" };
        list.Add("c");
        InputMap<int> map = new Dictionary<string, int> { ["x"] = 1 };
        map["y"] = Output.Create(2);
        Assert.Multiple(async () =>
        {
            Assert.That(await Output.Create(Task.FromResult(5)).GetValueAsync(), Is.EqualTo(5));
            Assert.That(await fromValue.ToOutput().GetValueAsync(), Is.EqualTo("v"));
            Assert.That(await Output.IsSecretAsync(fromOutput.ToOutput()), Is.True);
            Assert.That(await list.ToOutput().GetValueAsync(), Is.EqualTo(ImmutableArray.Create("a", "b", "c")));
            var m = await map.ToOutput().GetValueAsync();
            Assert.That(m["x"] + m["y"], Is.EqualTo(3));
        });
    }
}

using Boma.Pulumi;
using Boma.Pulumi.Conformance.Programs.Shapes;

namespace Boma.Pulumi.Conformance.Programs.Scenarios;

/// <summary>Level 1: stack outputs, config, stack references, logs (no provider code paths).</summary>
internal static class L1Scenarios
{
    public static Task<int> Empty() => Deployment.RunAsync(() => new Dictionary<string, object?>());

    public static Task<int> OutputString() => Deployment.RunAsync(() => new Dictionary<string, object?>
    {
        ["output"] = "hello",
    });

    public static Task<int> OutputKinds() => Deployment.RunAsync(() => new Dictionary<string, object?>
    {
        ["aString"] = "hello",
        ["aTrue"] = true,
        ["aFalse"] = false,
        ["anInteger"] = 42,
        ["aFloat"] = 3.5,
        ["aList"] = new object[] { "a", 1, true },
        ["aMap"] = new Dictionary<string, object?> { ["key"] = "value", ["nested"] = new Dictionary<string, object?> { ["deep"] = 1 } },
        ["aSecret"] = Output.CreateSecret("fake-secret-value"),
        ["anOutput"] = Output.Create("wrapped"),
        ["aSecretList"] = Output.CreateSecret(new[] { "x", "y" }),
    });

    public static Task<int> ConfigSecret() => Deployment.RunAsync(() =>
    {
        var config = new Config();
        var peer = config.GetObject<PeerConfig>("peer");
        return new Dictionary<string, object?>
        {
            ["plain"] = config.Require("plain"),
            ["password"] = config.RequireSecret("password"),
            ["number"] = config.RequireInt32("number"),
            ["maybePassword"] = config.GetSecret("password"),
            ["flag"] = config.GetBoolean("flag"),
            ["peerHost"] = peer?.Host,
            ["peerPort"] = peer?.Port,
            ["absentIsUnset"] = config.Get("absent") is null && config.GetObject<PeerConfig>("absent") is null,
        };
    });

    public static Task<int> StackClass() => Deployment.RunAsync<OutputsStack>();

    public static Task<int> StackReference() => Deployment.RunAsync(() =>
    {
        var reference = new StackReference("ref", new StackReferenceArgs { Name = "organization/other/dev" });
        return new Dictionary<string, object?>
        {
            ["plain"] = reference.GetOutput("plain"),
            ["secret"] = reference.GetOutput("secret"),
            ["required"] = reference.RequireOutput("plain"),
        };
    });

    public static Task<int> LogMessages() => Deployment.RunAsync(() =>
    {
        Log.Info("hello from the program");
        var res = new SimpleResource("res", new SimpleResourceArgs { Value = true });
        Log.Warn("about a resource", res);
        return new Dictionary<string, object?>();
    });
}

using Boma.Pulumi;
using Boma.Pulumi.Conformance.Programs.Shapes;

namespace Boma.Pulumi.Conformance.Programs.Scenarios;

/// <summary>Level 2: custom resources, providers and resource options.</summary>
internal static class L2Scenarios
{
    private static readonly Dictionary<string, object?> NoOutputs = [];

    private static SimpleResourceArgs True => new() { Value = true };

    public static Task<int> ResourceSimple() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True);
        return NoOutputs;
    });

    public static Task<int> ExplicitProvider() => Deployment.RunAsync(() =>
    {
        var prov = new SimpleProvider("prov");
        new SimpleResource("res", True, new CustomResourceOptions { Provider = prov });
        return NoOutputs;
    });

    public static Task<int> ParentInheritance() => Deployment.RunAsync(() =>
    {
        var prov = new SimpleProvider("prov");
        // provider on a component: its children of package "simple" use it.
        new ParentComponent("parent1", ["child"], new ComponentResourceOptions { Provider = prov });
        // protect on a component: children inherit it.
        new ParentComponent("parent2", ["child"], new ComponentResourceOptions { Protect = true });
        // providers + protect through two component levels.
        var outer = new ParentComponent("outer", [], new ComponentResourceOptions { Providers = [prov], Protect = true });
        new ParentComponent("inner", ["grandchild"], new ComponentResourceOptions { Parent = outer });
        // a custom parent with an explicit provider.
        var res = new SimpleResource("res", True, new CustomResourceOptions { Provider = prov });
        new SimpleResource("res-child", new SimpleResourceArgs { Value = false }, new CustomResourceOptions { Parent = res });
        return NoOutputs;
    });

    public static Task<int> ResourceSecret() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", new SimpleResourceArgs { Value = Output.CreateSecret(true) });
        new TextResource("text", new TextResourceArgs { Text = Output.CreateSecret("fake-secret-text") });
        return NoOutputs;
    });

    // C# has no undefined: an input whose output resolves to null is left out, as the official .NET SDK does.
    public static Task<int> NullInput() => Deployment.RunAsync(() =>
    {
        var first = new SimpleResource("first", True);
        new TextResource("plain", new TextResourceArgs { Text = Output.Create((string)null!) });
        new TextResource("derived", new TextResourceArgs { Text = first.Id.Apply(_ => (string)null!) });
        return NoOutputs;
    });

    // The fake answers "untargeted-*" creates with RegisterResourceResponse.unknown, as the engine does under --target.
    public static Task<int> UntargetedCreate() => Deployment.RunAsync(() =>
    {
        var skipped = new SimpleResource("untargeted-res", True);
        new SimpleResource("uses-value", new SimpleResourceArgs { Value = skipped.Value });
        new TextResource("uses-id", new TextResourceArgs { Text = Output.Format($"{skipped.Id}-suffix") });
        return NoOutputs;
    });

    public static Task<int> Dependencies() => Deployment.RunAsync(() =>
    {
        var first = new SimpleResource("first", True);
        new SimpleResource("second", new SimpleResourceArgs { Value = first.Value });
        new TextResource("text", new TextResourceArgs { Text = Output.Format($"{first.Id}-suffix") });
        new TextResource("plain", new TextResourceArgs { Text = first.Urn });
        return NoOutputs;
    });

    public static Task<int> DependsOn() => Deployment.RunAsync(() =>
    {
        var res1 = new SimpleResource("res1", True);
        var comp = new ParentComponent("comp", ["a", "b"]);
        new SimpleResource("res2", True, new CustomResourceOptions { DependsOn = new InputList<Resource> { res1 } });
        new SimpleResource("res3", True, new CustomResourceOptions { DependsOn = new InputList<Resource> { comp } });
        new SimpleResource("res4", True, new CustomResourceOptions { DependsOn = new InputList<Resource> { res1, comp } });
        return NoOutputs;
    });

    public static Task<int> IgnoreChanges() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True, new CustomResourceOptions { IgnoreChanges = ["value"] });
        return NoOutputs;
    });

    public static Task<int> Protect() => Deployment.RunAsync(() =>
    {
        new SimpleResource("protected", True, new CustomResourceOptions { Protect = true });
        new SimpleResource("unprotected", True, new CustomResourceOptions { Protect = false });
        new SimpleResource("default", True);
        return NoOutputs;
    });

    public static Task<int> AdditionalSecretOutputs() => Deployment.RunAsync(() =>
    {
        var res = new SimpleResource("res", True, new CustomResourceOptions { AdditionalSecretOutputs = ["value"] });
        return new Dictionary<string, object?> { ["value"] = res.Value };
    });

    public static Task<int> ReplaceOnChanges() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True, new CustomResourceOptions { ReplaceOnChanges = ["value"] });
        return NoOutputs;
    });

    public static Task<int> DeleteBeforeReplace() => Deployment.RunAsync(() =>
    {
        new SimpleResource("dbr", True, new CustomResourceOptions { DeleteBeforeReplace = true });
        new SimpleResource("no-dbr", True, new CustomResourceOptions { DeleteBeforeReplace = false });
        return NoOutputs;
    });

    public static Task<int> RetainOnDelete() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True, new CustomResourceOptions { RetainOnDelete = true });
        return NoOutputs;
    });

    public static Task<int> CustomTimeoutsOption() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True, new CustomResourceOptions
        {
            CustomTimeouts = new CustomTimeouts { Create = TimeSpan.FromMinutes(5), Update = TimeSpan.FromMinutes(10), Delete = TimeSpan.FromHours(1) },
        });
        return NoOutputs;
    });

    public static Task<int> AliasOption() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True, new CustomResourceOptions { Aliases = [new Alias { Name = "old-res" }] });
        var comp = new ParentComponent("comp", []);
        new SimpleResource("moved", True, new CustomResourceOptions
        {
            Parent = comp,
            Aliases = [new Alias { Name = "old-moved", Type = "simple:index:OldResource" }],
        });
        return NoOutputs;
    });

    public static Task<int> SecretUnknown() => Deployment.RunAsync(() =>
    {
        var first = new SimpleResource("first", True);
        new TextResource("text", new TextResourceArgs { Text = Output.CreateSecret(first.Id) });
        return new Dictionary<string, object?> { ["secretId"] = Output.CreateSecret(first.Id) };
    });

    public static Task<int> PluginDownloadUrl() => Deployment.RunAsync(() =>
    {
        const string url = "https://plugins.example.invalid/simple";
        var prov = new SimpleProvider("prov", new CustomResourceOptions { PluginDownloadURL = url });
        new SimpleResource("res", True, new CustomResourceOptions { PluginDownloadURL = url });
        new SimpleResource("with-provider", True, new CustomResourceOptions { Provider = prov });
        return NoOutputs;
    });

    public static Task<int> Import() => Deployment.RunAsync(() =>
    {
        new SimpleResource("res", True, new CustomResourceOptions { ImportId = "existing-id" });
        return NoOutputs;
    });
}

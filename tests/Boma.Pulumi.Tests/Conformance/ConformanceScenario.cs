namespace Boma.Pulumi.Tests.Conformance;

/// <summary>One scenario, written twice: tests/conformance-js/scenarios/&lt;Name&gt; and the C# programs' catalog.</summary>
public sealed record ConformanceScenario(string Name)
{
    /// <summary>PULUMI_CONFIG for both runs.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> SecretKeys { get; init; } = [];

    /// <summary>More environment for both programs (the size of a load scenario).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The JS program's directory; scenarios/&lt;Name&gt; unless set.</summary>
    public string? JsDirectory { get; init; }

    public override string ToString() => Name;

    public static readonly IReadOnlyList<ConformanceScenario> All =
    [
        new("l1-empty"),
        new("l1-output-string"),
        new("l1-output-kinds"),
        new("l1-config-secret")
        {
            Config = new Dictionary<string, string>
            {
                ["conformance:plain"] = "hello",
                ["conformance:password"] = "fake-secret-password",
                ["conformance:number"] = "42",
                ["conformance:flag"] = "true",
                ["conformance:peer"] = """{"host":"askari","port":51820}""",
            },
            SecretKeys = ["conformance:password"],
        },
        new("l1-stack-reference"),
        new("l1-log"),
        new("l1-stack-class"),
        new("l2-resource-simple"),
        new("l2-explicit-provider"),
        new("l2-resource-parent-inheritance"),
        new("l2-resource-secret"),
        new("l2-resource-null-input"),
        new("l2-resource-untargeted-create"),
        new("l2-resource-dependencies"),
        new("l2-resource-option-depends-on"),
        new("l2-resource-option-ignore-changes"),
        new("l2-resource-option-protect"),
        new("l2-resource-option-additional-secret-outputs"),
        new("l2-resource-option-replace-on-changes"),
        new("l2-resource-option-delete-before-replace"),
        new("l2-resource-option-retain-on-delete"),
        new("l2-resource-option-custom-timeouts"),
        new("l2-resource-option-alias"),
        new("l2-resource-secret-unknown"),
        new("l2-resource-option-plugin-download-url"),
        new("l2-resource-option-import"),
        new("l3-component-simple"),
        new("provider-command-copy-to-remote"),
        new("provider-command-commands"),
        new("provider-random"),
        new("provider-hcloud-server-firewall"),

        // The benchmark's program at a small size: proves the benchmark compares like with like.
        new("bench")
        {
            JsDirectory = Path.Combine(RepoPaths.ConformanceJs, "bench"),
            Environment = new Dictionary<string, string> { ["BOMA_SCENARIO_RESOURCES"] = "25" },
        },
    ];
}

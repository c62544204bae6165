namespace Boma.Pulumi.Conformance.Programs.Scenarios;

/// <summary>Scenario name → program; the names match the directories in tests/conformance-js/scenarios.</summary>
internal static class ScenarioCatalog
{
    public static readonly IReadOnlyDictionary<string, Func<Task<int>>> All = new Dictionary<string, Func<Task<int>>>
    {
        ["l1-empty"] = L1Scenarios.Empty,
        ["l1-output-string"] = L1Scenarios.OutputString,
        ["l1-output-kinds"] = L1Scenarios.OutputKinds,
        ["l1-config-secret"] = L1Scenarios.ConfigSecret,
        ["l1-stack-reference"] = L1Scenarios.StackReference,
        ["l1-log"] = L1Scenarios.LogMessages,
        ["l1-stack-class"] = L1Scenarios.StackClass,
        ["l2-resource-simple"] = L2Scenarios.ResourceSimple,
        ["l2-explicit-provider"] = L2Scenarios.ExplicitProvider,
        ["l2-resource-parent-inheritance"] = L2Scenarios.ParentInheritance,
        ["l2-resource-secret"] = L2Scenarios.ResourceSecret,
        ["l2-resource-null-input"] = L2Scenarios.NullInput,
        ["l2-resource-untargeted-create"] = L2Scenarios.UntargetedCreate,
        ["l2-resource-dependencies"] = L2Scenarios.Dependencies,
        ["l2-resource-option-depends-on"] = L2Scenarios.DependsOn,
        ["l2-resource-option-ignore-changes"] = L2Scenarios.IgnoreChanges,
        ["l2-resource-option-protect"] = L2Scenarios.Protect,
        ["l2-resource-option-additional-secret-outputs"] = L2Scenarios.AdditionalSecretOutputs,
        ["l2-resource-option-replace-on-changes"] = L2Scenarios.ReplaceOnChanges,
        ["l2-resource-option-delete-before-replace"] = L2Scenarios.DeleteBeforeReplace,
        ["l2-resource-option-retain-on-delete"] = L2Scenarios.RetainOnDelete,
        ["l2-resource-option-custom-timeouts"] = L2Scenarios.CustomTimeoutsOption,
        ["l2-resource-option-alias"] = L2Scenarios.AliasOption,
        ["l2-resource-secret-unknown"] = L2Scenarios.SecretUnknown,
        ["l2-resource-option-plugin-download-url"] = L2Scenarios.PluginDownloadUrl,
        ["l2-resource-option-import"] = L2Scenarios.Import,
        ["l3-component-simple"] = L3Scenarios.ComponentSimple,
        ["provider-command-copy-to-remote"] = ProviderScenarios.CommandCopyToRemote,
        ["provider-command-commands"] = ProviderScenarios.CommandCommands,
        ["provider-random"] = ProviderScenarios.Random,
        ["provider-hcloud-server-firewall"] = ProviderScenarios.HCloudServerFirewall,

        // Not conformance scenarios: load for the failure tests and the benchmark.
        ["many"] = LoadScenarios.Many,
        ["bench"] = LoadScenarios.Bench,
    };
}

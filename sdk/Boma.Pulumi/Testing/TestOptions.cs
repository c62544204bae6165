namespace Boma.Pulumi.Testing;

/// <summary>The stack a test (or an offline plan) pretends to run for.</summary>
public sealed class TestOptions
{
    /// <summary>Project name.</summary>
    public string ProjectName { get; set; } = "project";

    /// <summary>Stack name.</summary>
    public string StackName { get; set; } = "stack";

    /// <summary>Organization.</summary>
    public string Organization { get; set; } = "organization";

    /// <summary>Run as a preview: unknown IDs and computed outputs, like <c>pulumi preview</c>.</summary>
    public bool IsPreview { get; set; }

    /// <summary>Configuration, keys <c>namespace:key</c> (legacy <c>namespace:config:key</c> accepted).</summary>
    public Dictionary<string, string> Config { get; set; } = [];

    /// <summary>Which configuration keys are secret.</summary>
    public HashSet<string> SecretKeys { get; set; } = [];
}

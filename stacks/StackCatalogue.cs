using Boma.Infra.Config;

namespace Boma.Infra.Stacks;

/// <summary>One stack the program knows: its name, how it runs from config, and which of its keys must be secret.</summary>
internal sealed record StackEntry(string Name, Func<IConfigSource, StackBuild> Run, IReadOnlyList<string> SecretKeys);

/// <summary>
/// The stacks, in one place: the engine entry, the offline plan and the tests look a stack up here
/// instead of switching on its name. The plan's mocks are in the Boma-only part (StackCatalogue.Plan.cs).
/// </summary>
internal static partial class StackCatalogue
{
    public static IReadOnlyList<StackEntry> All { get; } =
    [
        new(OffsiteStack.Name, OffsiteStack.Run, [.. ConfigKeys.SecretKeys.Select(ConfigKeys.Full)]),
        new(ClusterStack.Name, ClusterStack.Run, [.. ClusterConfigLoader.SecretKeys.Select(ConfigKeys.Full)]),
    ];

    /// <summary>The stack of that name; PULUMI_STACK may be qualified (org/project/stack).</summary>
    public static StackEntry? Find(string stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var name = BareName(stack);
        return All.FirstOrDefault(s => s.Name == name);
    }

    /// <summary>The bare stack name of a possibly qualified one.</summary>
    public static string BareName(string stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack[(stack.LastIndexOf('/') + 1)..];
    }

    /// <summary>The known names, for messages.</summary>
    public static string Names => string.Join(", ", All.Select(s => s.Name));
}

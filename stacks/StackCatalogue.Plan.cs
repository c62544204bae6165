using Boma.Pulumi.Testing;

namespace Boma.Infra.Stacks;

/// <summary>The offline plan's part of the catalogue (default build only: mocks are Boma.Pulumi's recording monitor).</summary>
internal static partial class StackCatalogue
{
    /// <summary>
    /// The mocks a stack's offline plan runs with, and the note printed under it; null means the SDK's plain preview
    /// (outputs unknown). The cluster reads the offsite stack, which has no engine offline: placeholders answer.
    /// </summary>
    public static (IMocks Mocks, string Note)? PlanMocks(StackEntry stack, IReadOnlyDictionary<string, string> config)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (stack.Name != ClusterStack.Name)
        {
            return null;
        }

        var mocks = ClusterPlanMocks.For(config);
        return (mocks, ClusterPlanMocks.Describe(mocks));
    }
}

namespace Boma.Pulumi;

/// <summary>
/// The root <c>pulumi:pulumi:Stack</c> component, named <c>&lt;project&gt;-&lt;stack&gt;</c>. Subclass it with
/// <see cref="OutputAttribute"/> properties and run it with <c>Deployment.RunAsync&lt;TStack&gt;()</c>; those properties
/// become the stack outputs.
/// </summary>
public class Stack : ComponentResource
{
    /// <summary>Registers the root stack; resources created in the subclass constructor become its children.</summary>
    protected Stack()
        : base(Serialization.Constants.StackType, RootName(), null, isRoot: true)
    {
    }

    internal static Stack CreateDefault() => new();

    private static string RootName()
    {
        var run = DeploymentRun.Current ?? throw new InvalidOperationException(
            "A Stack can only be created by Deployment.RunAsync<TStack>() or Deployment.TestAsync<TStack>().");
        return $"{run.ProjectName}-{run.StackName}";
    }
}

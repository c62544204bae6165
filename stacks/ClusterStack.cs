namespace Boma.Infra.Stacks;

/// <summary>The home cluster stack (Proxmox VMs). A placeholder until issue 6: it fails before registering anything.</summary>
internal static class ClusterStack
{
    public const string Name = "cluster";

    public static StackBuild Run() =>
        throw new NotSupportedException("the 'cluster' stack is not implemented yet (issue 6); only 'offsite' can be deployed or planned today.");
}

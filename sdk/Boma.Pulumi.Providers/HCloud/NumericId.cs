using System.Globalization;

namespace Boma.Pulumi.HCloud;

/// <summary>
/// hcloud resource IDs are strings on the wire, but the inputs that reference other resources
/// (<c>firewallIds</c>, <c>serverIds</c>, <c>firewallId</c>, <c>serverId</c>, <c>primaryIpId</c>,
/// <c>placementGroupId</c>, <c>publicNets[].ipv4/ipv6</c>) are integers: this converts one into the other.
/// </summary>
public static class NumericId
{
    /// <summary>The resource's ID as the integer hcloud inputs expect (unknown while the ID is unknown).</summary>
    public static Output<int> Of(CustomResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Id.Apply(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidOperationException(
                $"{resource.GetResourceType()} '{resource.GetResourceName()}' has ID \"{id}\", which is not a number; "
                + "hcloud IDs are numeric (in tests, let the mocks return numeric IDs for hcloud resources)."));
    }
}

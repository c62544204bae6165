using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Boma.Infra.Config;

/// <summary>An IPv4 network in CIDR form (<c>192.168.20.0/24</c>) with the arithmetic the VM list needs.</summary>
internal sealed record ClusterIpv4Subnet(uint NetworkBits, int PrefixLength)
{
    private uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    public IPAddress Network => ToAddress(NetworkBits);

    public IPAddress Broadcast => ToAddress(NetworkBits | ~Mask);

    /// <summary>Parses <paramref name="text"/>; <paramref name="problem"/> says why it is not a usable IPv4 CIDR.</summary>
    public static bool TryParse(string text, out ClusterIpv4Subnet? subnet, out string? problem)
    {
        // The one CIDR definition (no octal, no shorthand, no host bits, no leading-zero prefix), then the cluster's limits.
        subnet = null;
        problem = Addresses.ParseCidr(text, out _, out var network);
        if (problem is not null)
        {
            return false;
        }

        if (network.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            problem = $"'{Addresses.Show(text)}' is not an IPv4 network (the VMs' subnet is IPv4)";
            return false;
        }

        // A /31 or /32 leaves no room for a gateway plus hosts.
        if (network.PrefixLength > 30)
        {
            problem = $"a /{network.PrefixLength} has no room for a gateway and VMs";
            return false;
        }

        subnet = new ClusterIpv4Subnet(ToBits(network.BaseAddress), network.PrefixLength);
        return true;
    }

    /// <summary>Strict dotted-quad parsing (<see cref="Addresses.ParseIp"/>, the one definition): IPAddress.TryParse also accepts forms like <c>10.1</c>.</summary>
    public static bool TryParseIpv4(string text, out IPAddress? address)
    {
        if (Addresses.ParseIp(text, out address) is null && address!.AddressFamily == AddressFamily.InterNetwork)
        {
            return true;
        }

        address = null;
        return false;
    }

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetwork && (ToBits(address) & Mask) == NetworkBits;
    }

    /// <summary>The address with this subnet's prefix, as cloud-init's static ip config wants it (<c>192.168.20.11/24</c>).</summary>
    public string WithPrefix(IPAddress address) => $"{address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => $"{Network}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private static uint ToBits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static IPAddress ToAddress(uint bits)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, bits);
        return new IPAddress(bytes);
    }
}

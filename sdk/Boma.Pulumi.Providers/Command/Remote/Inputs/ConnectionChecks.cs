using System.Globalization;
using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Command.Remote.Inputs;

/// <summary>Checks shared by the connection and its proxy hop.</summary>
internal static class ConnectionChecks
{
    public static void Check(List<string> errors, Input<string>? host, Input<double>? port)
    {
        if (host is not null && KnownValue.TryGet(host, out var name) && string.IsNullOrWhiteSpace(name))
        {
            ProviderChecks.Fail(errors, "host", "is empty", "set Host to the machine's address or name");
        }

        if (port is not null && KnownValue.TryGet(port, out var number) && (number < 1 || number > 65535 || number != Math.Floor(number)))
        {
            ProviderChecks.Fail(errors, "port", string.Create(CultureInfo.InvariantCulture, $"{number} is not a TCP port"), "set Port between 1 and 65535");
        }
    }
}

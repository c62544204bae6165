using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Random;

public sealed partial class RandomIdArgs
{
    partial void AddChecks(List<string> errors) =>
        ProviderChecks.Range(errors, "byteLength", ByteLength, 1, int.MaxValue, "set ByteLength to at least 1");
}

using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Random;

public sealed partial class RandomBytesArgs
{
    partial void AddChecks(List<string> errors) =>
        ProviderChecks.Range(errors, "length", Length, 1, int.MaxValue, "set Length to at least 1");
}

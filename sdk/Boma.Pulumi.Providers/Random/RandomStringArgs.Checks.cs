using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Random;

public sealed partial class RandomStringArgs
{
    partial void AddChecks(List<string> errors) =>
        RandomChecks.Length(errors, Length, MinLower, MinUpper, MinNumeric, MinSpecial);
}

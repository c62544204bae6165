using System.Globalization;
using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Random;

/// <summary>The length rules of random's string resources (upstream validates them at plan time).</summary>
internal static class RandomChecks
{
    public static void Length(List<string> errors, Input<int>? length, params Input<int>?[] minimums)
    {
        if (length is null || !KnownValue.TryGet(length, out var value))
        {
            return;
        }

        ProviderChecks.Range(errors, "length", length, 1, int.MaxValue, "set Length to at least 1");
        var sum = 0;
        foreach (var minimum in minimums)
        {
            if (minimum is not null && KnownValue.TryGet(minimum, out var min))
            {
                sum += min;
            }
        }

        if (sum > value)
        {
            ProviderChecks.Fail(errors, "length", string.Create(CultureInfo.InvariantCulture, $"{value} is less than the sum of the min* inputs ({sum})"), "raise Length or lower MinLower/MinUpper/MinNumeric/MinSpecial");
        }
    }
}

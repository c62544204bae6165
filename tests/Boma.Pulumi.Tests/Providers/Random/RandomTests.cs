namespace Boma.Pulumi.Tests.Providers.Random;

using NUnit.Framework;
using Boma.Pulumi.Random;

[TestFixture]
public sealed class RandomTests : PackageTests
{
    private static readonly string[] PasswordSecrets = ["result", "bcryptHash"];

    public RandomTests()
        : base("random", RandomPassword.TypeToken, RandomString.TypeToken, RandomId.TypeToken, RandomBytes.TypeToken)
    {
    }

    [Test]
    public async Task Password_result_and_hash_are_secret_outputs()
    {
        var result = await ProviderRun.RunAsync(() => _ = new RandomPassword("db", new RandomPasswordArgs { Length = 32 }));

        Assert.That(ProviderRun.Registration(result, RandomPassword.TypeToken).Request.AdditionalSecretOutputs, Is.EquivalentTo(PasswordSecrets));
    }

    [Test]
    public async Task A_zero_length_is_refused()
    {
        var (error, result) = await ProviderRun.FailureOfAsync(() => _ = new RandomPassword("empty", new RandomPasswordArgs { Length = 0 }));

        Assert.That(error?.Message, Does.Contain(RandomPassword.TypeToken).And.Contain("'empty'").And.Contain("length: 0 is outside 1..").And.Contain("Fix: set Length to at least 1"));
        Assert.That(result?.Registrations.Any(r => r.Request.Type == RandomPassword.TypeToken) ?? false, Is.False);
    }

    [Test]
    public async Task Minimums_above_the_length_are_refused()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new RandomString("short", new RandomStringArgs { Length = 4, MinUpper = 3, MinNumeric = 3 }));

        Assert.That(error?.Message, Does.Contain("length: 4 is less than the sum of the min* inputs (6)"));
    }

    [Test]
    public async Task A_zero_byte_id_is_refused()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new RandomId("id", new RandomIdArgs { ByteLength = 0 }));

        Assert.That(error?.Message, Does.Contain("byteLength: 0 is outside 1.."));
    }
}

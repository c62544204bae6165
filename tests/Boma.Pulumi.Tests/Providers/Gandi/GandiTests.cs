namespace Boma.Pulumi.Tests.Providers.Gandi;

using NUnit.Framework;
using Boma.Pulumi.Gandi;
using Boma.Pulumi.Gandi.Livedns;

[TestFixture]
public sealed class GandiTests : PackageTests
{
    private static readonly string[] UnquotedSpf = ["v=spf1 -all"];
    private static readonly string[] QuotedSpf = ["\"v=spf1 -all\""];
    private static readonly string[] Address = ["203.0.113.10"];
    private static readonly string[] ProviderSecrets = ["key", "personalAccessToken"];

    public GandiTests()
        : base("gandi", Provider.TypeToken, Record.TypeToken)
    {
    }

    [Test]
    public async Task A_record_without_a_name_fails_instead_of_getting_a_random_label()
    {
        var (error, result) = await ProviderRun.FailureOfAsync(() => _ = new Record("vpn", new RecordArgs { Zone = "example.org", Type = "A", Ttl = 300, Values = Address }));

        Assert.That(error, Is.InstanceOf<ResourceException>());
        Assert.That(error!.Message, Does.Contain(Record.TypeToken).And.Contain("'vpn'").And.Contain("name: not set").And.Contain("Fix: set Name explicitly"));
        Assert.That(result?.Registrations.Any(r => r.Request.Type == Record.TypeToken) ?? false, Is.False);
    }

    [TestCase(60, "ttl: 60 is outside 300..2592000")]
    [TestCase(3_000_000, "ttl: 3000000 is outside 300..2592000")]
    public async Task A_ttl_gandi_refuses_fails_early(int ttl, string expected)
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new Record("vpn", new RecordArgs { Zone = "example.org", Name = "vpn", Type = "A", Ttl = ttl, Values = Address }));

        Assert.That(error?.Message, Does.Contain(expected).And.Contain("Fix: set Ttl between 300 and 2592000 seconds"));
    }

    [Test]
    public async Task A_lower_case_type_and_an_empty_value_list_are_refused()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new Record("vpn", new RecordArgs { Zone = "example.org", Name = "vpn", Type = "a", Ttl = 300, Values = Array.Empty<string>() }));

        Assert.That(error?.Message, Does.Contain("type: \"a\" is not an upper-case record type").And.Contain("values: is empty"));
    }

    [Test]
    public async Task Records_and_the_provider_carry_the_pulumiverse_download_url()
    {
        var result = await ProviderRun.RunAsync(() =>
        {
            var provider = new Provider("gandi", (ProviderArgs)Samples.ArgsFor(Provider.TypeToken));
            _ = new Record("vpn", (RecordArgs)Samples.ArgsFor(Record.TypeToken), new CustomResourceOptions { Provider = provider });
        });

        Assert.Multiple(() =>
        {
            foreach (var token in new[] { Provider.TypeToken, Record.TypeToken })
            {
                var request = ProviderRun.Registration(result, token).Request;
                Assert.That(request.PluginDownloadURL, Is.EqualTo("github://api.github.com/pulumiverse"), token);
                Assert.That(request.Version, Is.EqualTo("2.3.2"), token);
            }
        });
    }

    [Test]
    public async Task Provider_token_is_secret_and_dry_run_is_json_encoded()
    {
        var result = await ProviderRun.RunAsync(() => _ = new Provider("gandi", (ProviderArgs)Samples.ArgsFor(Provider.TypeToken)));

        var registration = ProviderRun.Registration(result, Provider.TypeToken);
        Assert.Multiple(() =>
        {
            Assert.That(ProviderRun.IsSecret(registration.Inputs["personalAccessToken"]), Is.True);
            Assert.That(registration.Inputs["dryRun"]!.GetValue<string>(), Is.EqualTo("true"));
            Assert.That(registration.Request.AdditionalSecretOutputs, Is.EquivalentTo(ProviderSecrets));
        });
    }

    [Test]
    public async Task Unquoted_txt_values_are_refused_and_quoted_ones_pass()
    {
        var (error, _) = await ProviderRun.FailureOfAsync(() => _ = new Record("spf", new RecordArgs { Zone = "example.org", Name = "@", Type = "TXT", Ttl = 300, Values = UnquotedSpf }));
        var result = await ProviderRun.RunAsync(() => _ = new Record("spf", new RecordArgs { Zone = "example.org", Name = "@", Type = "TXT", Ttl = 300, Values = QuotedSpf }));

        Assert.That(error?.Message, Does.Contain("values: a TXT value is not enclosed in double quotes"));
        Assert.That(result.Exception, Is.Null);
        Assert.That(ProviderRun.Registration(result, Record.TypeToken).Inputs["values"]![0]!.GetValue<string>(), Is.EqualTo("\"v=spf1 -all\""));
    }
}

using System.Text.Json;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Deployment;

[TestFixture]
public sealed class EngineHandshakeTests
{
    [Test]
    public void Secret_keys_are_read_from_a_json_array_and_legacy_keys_normalised()
    {
        var keys = EngineHandshake.ParseSecretKeys("[\"boma:a\", \"boma:config:b\"]");
        Assert.That(keys, Is.EquivalentTo((string[])["boma:a", "boma:b"]));
        Assert.That(EngineHandshake.ParseSecretKeys("null"), Is.Empty);
        Assert.That(EngineHandshake.ParseSecretKeys(""), Is.Empty);
    }

    [Test]
    public void Secret_keys_that_are_not_an_array_of_strings_are_refused()
    {
        Assert.That(() => EngineHandshake.ParseSecretKeys("{\"boma:a\": true}"), Throws.InstanceOf<JsonException>().With.Message.Contains("PULUMI_CONFIG_SECRET_KEYS"));
        Assert.That(() => EngineHandshake.ParseSecretKeys("[null]"), Throws.InstanceOf<JsonException>().With.Message.Contains("PULUMI_CONFIG_SECRET_KEYS"));
    }
}

using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Boma.Pulumi.Serialization;
using Boma.Pulumi.Testing;
using Boma.Pulumi.Tests.Testing;
using Google.Protobuf.WellKnownTypes;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Serialization;

[TestFixture]
public sealed class SerializerTests
{
    private static async Task<(Value Value, HashSet<Resource> Deps)> SerializeAsync(object? value)
    {
        var deps = new HashSet<Resource>();
        var v = await new Serializer().SerializeAsync(value, deps, "test");
        return (v, deps);
    }

    private static string Json(Value v) => WireJson.ToJson(v)?.ToJsonString() ?? "null";

    [Test]
    public async Task Plain_values_lists_and_maps()
    {
        var (v, _) = await SerializeAsync(new Dictionary<string, object?>
        {
            ["s"] = "x", ["i"] = 2, ["d"] = 1.5, ["b"] = true, ["n"] = null,
            ["l"] = new List<object?> { 1, "two" }, ["m"] = ImmutableDictionary<string, int>.Empty.Add("k", 1),
        });
        Assert.That(Json(v), Is.EqualTo("{\"b\":true,\"d\":1.5,\"i\":2,\"l\":[1,\"two\"],\"m\":{\"k\":1},\"n\":null,\"s\":\"x\"}"));
    }

    [Test]
    public async Task Secret_is_wrapped_also_around_an_unknown_and_a_plain_unknown_is_the_bare_sentinel()
    {
        var (secret, _) = await SerializeAsync(Output.CreateSecret("pw"));
        var (unknownSecret, _) = await SerializeAsync(Output<string>.Unknown(isSecret: true));
        var (unknown, _) = await SerializeAsync(Output<string>.Unknown());
        Assert.Multiple(() =>
        {
            Assert.That(Json(secret), Is.EqualTo($"{{\"{Constants.SpecialSigKey}\":\"{Constants.SecretSig}\",\"value\":\"pw\"}}"));
            Assert.That(Json(unknownSecret), Is.EqualTo($"{{\"{Constants.SpecialSigKey}\":\"{Constants.SecretSig}\",\"value\":\"{Constants.UnknownValue}\"}}"));
            Assert.That(unknown.StringValue, Is.EqualTo(Constants.UnknownValue));
        });

        var back = Deserializer.Deserialize(secret, keepUnknowns: true);
        Assert.That((back.Value, back.IsSecret, back.IsKnown), Is.EqualTo(((object?)"pw", true, true)));
        var unknownBack = Deserializer.Deserialize(unknownSecret, keepUnknowns: true);
        Assert.That(unknownBack.IsKnown, Is.False);
        Assert.That(Deserializer.Deserialize(unknownSecret, keepUnknowns: false).IsKnown, Is.True);
    }

    [Test]
    public async Task Element_wise_lists_and_maps_keep_secrets_on_the_element()
    {
        var list = new InputList<string> { "a", Output.CreateSecret("b") };
        var map = new InputMap<string> { { "k", Output.CreateSecret("v") }, { "p", "q" } };
        var (l, _) = await SerializeAsync(list);
        var (m, _) = await SerializeAsync(map);
        Assert.That(Json(l), Is.EqualTo($"[\"a\",{{\"{Constants.SpecialSigKey}\":\"{Constants.SecretSig}\",\"value\":\"b\"}}]"));
        Assert.That(Json(m), Is.EqualTo($"{{\"k\":{{\"{Constants.SpecialSigKey}\":\"{Constants.SecretSig}\",\"value\":\"v\"}},\"p\":\"q\"}}"));
    }

    [Test]
    public async Task Nested_args_are_objects_and_json_inputs_are_strings()
    {
        var args = new ServerArgs
        {
            Name = "n",
            Rule = new NestedArgs { Port = 22 },
            Settings = Output.CreateSecret(ImmutableDictionary<string, object>.Empty.Add("a", 1).Add("b", "x")),
        };
        var (obj, deps) = await new Serializer().SerializeArgsAsync(args, "test");
        var json = WireJson.ToJson(obj);
        Assert.Multiple(() =>
        {
            Assert.That(json["rule"]!.ToJsonString(), Is.EqualTo("{\"port\":22}"));
            Assert.That(json["settings"]![Constants.SpecialSigKey]!.GetValue<string>(), Is.EqualTo(Constants.SecretSig));
            var text = json["settings"]!["value"]!.GetValue<string>();
            Assert.That(JsonNode.Parse(text)!["a"]!.GetValue<double>(), Is.EqualTo(1));
            Assert.That(JsonNode.Parse(text)!["b"]!.GetValue<string>(), Is.EqualTo("x"));
            Assert.That(deps.Keys, Is.EquivalentTo(new List<string> { "name", "rule", "settings" }));
        });
    }

    [Test]
    public async Task Assets_and_archives_round_trip_with_their_signatures()
    {
        var cases = new AssetOrArchive[]
        {
            new StringAsset("hello"),
            new FileAsset("hosts/askari/Caddyfile"),
            new RemoteAsset("https://example.org/x"),
            new FileArchive("./site"),
            new RemoteArchive("https://example.org/a.tgz"),
            new AssetArchive(new Dictionary<string, AssetOrArchive> { ["a.txt"] = new StringAsset("a"), ["dir"] = new FileArchive("d") }),
        };
        var expectedKeys = new[] { "text", "path", "uri", "path", "uri", "assets" };
        for (var i = 0; i < cases.Length; i++)
        {
            var (v, _) = await SerializeAsync(cases[i]);
            var fields = v.StructValue.Fields;
            var isArchive = cases[i] is Archive;
            Assert.That(fields[Constants.SpecialSigKey].StringValue, Is.EqualTo(isArchive ? Constants.ArchiveSig : Constants.AssetSig));
            Assert.That(fields.ContainsKey(expectedKeys[i]), Is.True, expectedKeys[i]);
            var back = Deserializer.Deserialize(v, keepUnknowns: false).Value;
            Assert.That(back, Is.TypeOf(cases[i].GetType()));
            Assert.That(Json((await SerializeAsync(back)).Value), Is.EqualTo(Json(v)));
        }
    }

    [Test]
    public void Resource_references_output_values_and_typed_unknowns_deserialize()
    {
        Value Special(string sig, params (string Key, Value Value)[] fields)
        {
            var s = new Struct();
            s.Fields[Constants.SpecialSigKey] = Value.ForString(sig);
            foreach (var (k, v) in fields)
            {
                s.Fields[k] = v;
            }

            return Value.ForStruct(s);
        }

        var customRef = Special(Constants.ResourceSig, ("urn", Value.ForString("urn:pulumi:s::p::t:m:T::n")), ("id", Value.ForString("i-1")));
        var componentRef = Special(Constants.ResourceSig, ("urn", Value.ForString("urn:pulumi:s::p::c::n")));
        var secretOutput = Special(Constants.OutputValueSig, ("value", Value.ForString("x")), ("secret", Value.ForBool(true)));
        var unknownOutput = Special(Constants.OutputValueSig, ("dependencies", Value.ForList(Value.ForString("urn:x"))));
        Assert.Multiple(() =>
        {
            Assert.That(Deserializer.Deserialize(customRef, true).Value, Is.EqualTo("i-1"));
            Assert.That(Deserializer.Deserialize(componentRef, true).Value, Is.EqualTo("urn:pulumi:s::p::c::n"));
            var so = Deserializer.Deserialize(secretOutput, true);
            Assert.That((so.Value, so.IsSecret), Is.EqualTo(((object?)"x", true)));
            Assert.That(Deserializer.Deserialize(unknownOutput, true).IsKnown, Is.False);
            Assert.That(Deserializer.Deserialize(Value.ForString("1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"), true).IsKnown, Is.False);
            var nested = Value.ForList(Value.ForString("a"), Special(Constants.SecretSig, ("value", Value.ForNumber(2))));
            var n = Deserializer.Deserialize(nested, true);
            Assert.That(n.IsSecret, Is.True);
            Assert.That(n.Value, Is.EqualTo(new List<object?> { "a", 2.0 }));
        });
    }

    [Test]
    public async Task Resources_serialize_as_references_and_count_as_dependencies()
    {
        Server? a = null;
        ComponentResource? box = null;
        await Boma.Pulumi.Deployment.TestAsync(new EchoMocks(), () =>
        {
            a = new Server("a", new ServerArgs { Name = "a" });
            box = new ComponentResource("boma:index:Box", "box");
        });

        var (v, deps) = await SerializeAsync(new List<object> { a!, box! });
        var json = WireJson.ToJson(v)!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(json[0]![Constants.SpecialSigKey]!.GetValue<string>(), Is.EqualTo(Constants.ResourceSig));
            Assert.That(json[0]!["id"]!.GetValue<string>(), Is.EqualTo("a-id"));
            Assert.That(json[1]!.AsObject().ContainsKey("id"), Is.False);
            Assert.That(deps, Is.EquivalentTo(new Resource[] { a!, box! }));
        });
    }
}

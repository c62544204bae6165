using Boma.Infra.Policy;
using NUnit.Framework;

namespace Boma.Infra.Tests.Policy;

[TestFixture]
public class PreviewDocumentTests
{
    [Test]
    public void Reads_the_resource_v3_fields_of_a_step()
    {
        var doc = PreviewDocument.Parse(File.ReadAllText(Cli.TestPaths.GuardData("protected-replace.json")));
        var step = doc.Changes.Single(c => c.Op == "replace");

        Assert.That(step.Urn, Does.EndWith("hcloud:index/server:Server::askari"));
        Assert.That(step.ReplaceReasons, Is.EqualTo(new List<string> { "image" }));
        Assert.That(step.Old!.Inputs["image"]!.GetValue<string>(), Is.EqualTo("debian-12"));
        var server = step.New!;
        Assert.That(server.Type, Is.EqualTo("hcloud:index/server:Server"));
        Assert.That(server.Name, Is.EqualTo("askari"));
        Assert.That(server.Parent, Is.EqualTo("urn:pulumi:offsite::boma::boma:offsite:Askari::askari"));
        Assert.That(server.Custom && server.Protect, Is.True);
        Assert.That(server.IgnoreChanges, Is.EqualTo(new List<string> { "userData", "sshKeys" }));
        Assert.That(WireValue.IsSecret(server.Inputs["userData"]), Is.True);
        Assert.That(WireValue.IsUnknown(server.Inputs["firewallIds"]), Is.True);
        Assert.That(doc.StackName, Is.EqualTo("offsite"));
        Assert.That(doc.Count("replace"), Is.EqualTo(1));
        Assert.That(doc.Count("same"), Is.EqualTo(8));
    }

    [Test]
    public void Counts_steps_when_there_is_no_change_summary()
    {
        var doc = PreviewDocument.Parse("""{"steps":[{"op":"create","urn":"urn:pulumi:s::p::t::a"},{"op":"create","urn":"urn:pulumi:s::p::t::b"}]}""");

        Assert.That(doc.Count("create"), Is.EqualTo(2));
        Assert.That(doc.Changes[0].New, Is.Null);
    }

    [Test]
    public void A_document_without_steps_is_an_empty_preview()
    {
        var doc = PreviewDocument.Parse("""{"changeSummary":{"same":3}}""");

        Assert.That(doc.Changes, Is.Empty);
        Assert.That(doc.OmitsUnchanged, Is.True);
    }

    [TestCase("[1,2]", "expected a JSON object")]
    [TestCase("""{"steps":{}}""", "\"steps\" must be a list")]
    [TestCase("""{"steps":[{"op":"create","urn":"u","newState":{"protect":"yes"}}]}""", "steps[0].newState.protect must be true or false")]
    [TestCase("""{"steps":[{"op":"create","urn":"u","newState":{"ignoreChanges":"userData"}}]}""", "steps[0].newState.ignoreChanges must be a list of strings")]
    [TestCase("""{"steps":[],"changeSummary":{"create":"two"}}""", "changeSummary.create must be a whole number")]
    [TestCase("""{"steps":[{"op":"create","urn":"u",}]}""", "not valid JSON at line 1, byte 36: The JSON object contains a trailing comma")]
    public void Wrong_shapes_are_named(string json, string message)
    {
        var e = Assert.Throws<PreviewFormatException>(() => PreviewDocument.Parse(json));

        Assert.That(e!.Message, Does.Contain(message));
    }

    [TestCase("urn:pulumi:offsite::boma::boma:offsite:Askari$hcloud:index/server:Server::askari", "offsite", "hcloud:index/server:Server", "askari")]
    [TestCase("urn:pulumi:cluster::boma::pulumi:pulumi:Stack::boma-cluster", "cluster", "pulumi:pulumi:Stack", "boma-cluster")]
    public void Urn_parts(string urn, string stack, string type, string name)
    {
        Assert.That(ResourceView.StackFromUrn(urn), Is.EqualTo(stack));
        Assert.That(ResourceView.TypeFromUrn(urn), Is.EqualTo(type));
        Assert.That(ResourceView.NameFromUrn(urn), Is.EqualTo(name));
    }
}

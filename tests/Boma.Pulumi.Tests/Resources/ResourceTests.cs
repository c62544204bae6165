using System.Collections.Immutable;
using Boma.Pulumi.Serialization;
using Boma.Pulumi.Testing;
using Boma.Pulumi.Tests.Testing;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Resources;

using Deployment = Boma.Pulumi.Deployment;

[TestFixture]
public sealed class ResourceTests
{
    private static List<string> L(params string[] items) => [.. items];

    private static RecordedRegistration Reg(TestResult r, string name) => r.Registrations.Single(x => x.Request.Name == name);

    [Test]
    public async Task Missing_required_input_throws_in_the_constructor_naming_type_name_property_and_fix()
    {
        ResourceException? thrown = null;
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            try
            {
                _ = new Server("askari", new ServerArgs { Size = 2 });
            }
            catch (ResourceException e)
            {
                thrown = e;
            }
        });

        Assert.That(thrown, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Message, Does.Contain("askari"));
            Assert.That(thrown.Message, Does.Contain("test:index/server:Server"));
            Assert.That(thrown.Message, Does.Contain("'name'"));
            Assert.That(thrown.Message, Does.Contain("set ServerArgs.Name"));
            // Nothing but the stack was sent.
            Assert.That(result.Registrations.Select(r => r.Request.Type), Is.EqualTo(L("pulumi:pulumi:Stack")));
        });
    }

    [Test]
    public async Task Validate_messages_and_nested_required_inputs_are_errors_before_registration()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Server("web", new ServerArgs { Name = "web", Rule = new NestedArgs { Port = 70000 } });
        });

        Assert.That(result.ExitCode, Is.EqualTo(32));
        Assert.That(result.Exception, Is.TypeOf<ResourceException>());
        Assert.That(result.Exception!.Message, Does.Contain("port 70000 is outside 1-65535"));
        Assert.That(result.Exception.Message, Does.Contain("ServerArgs.Rule"));
        Assert.That(result.Logs.Single(l => l.Severity == Pulumirpc.LogSeverity.Error).Message, Does.Contain("web"));
        Assert.That(result.Registrations.Any(r => r.Request.Name == "web"), Is.False);

        var missingNested = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Server("db", new ServerArgs { Name = "db", Rule = new NestedArgs { Protocol = "tcp" } });
        });
        Assert.That(missingNested.Exception!.Message, Does.Contain("missing required input 'port'"));
        Assert.That(missingNested.Exception.Message, Does.Contain("ServerArgs.Rule.Port"));
    }

    [Test]
    public async Task Version_with_a_v_prefix_is_an_error_before_registration_because_the_engine_cannot_parse_it()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Server("web", new ServerArgs { Name = "web" }, new CustomResourceOptions { Version = "v4.1.0" });
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<ResourceException>());
            Assert.That(result.Exception!.Message, Does.Contain("'web'"));
            Assert.That(result.Exception.Message, Does.Contain("Version 'v4.1.0'"));
            Assert.That(result.Exception.Message, Does.Contain("'4.1.0'"));
            Assert.That(result.Registrations.Any(r => r.Request.Name == "web"), Is.False);
        });

        var plain = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Server("web", new ServerArgs { Name = "web" }, new CustomResourceOptions { Version = "4.1.0-alpha.1+meta" });
        });
        Assert.That(plain.ExitCode, Is.Zero, plain.Exception?.ToString());
        Assert.That(Reg(plain, "web").Request.Version, Is.EqualTo("4.1.0-alpha.1+meta"));
    }

    [Test]
    public async Task An_output_of_the_wrong_type_fails_naming_the_output_but_never_shows_a_secret_value()
    {
        var secret = new Google.Protobuf.WellKnownTypes.Struct();
        secret.Fields[Boma.Pulumi.Serialization.Constants.SpecialSigKey] = Google.Protobuf.WellKnownTypes.Value.ForString(Boma.Pulumi.Serialization.Constants.SecretSig);
        secret.Fields["value"] = Google.Protobuf.WellKnownTypes.Value.ForString("hunter2-not-a-number");
        var mocks = new ServerMocks();
        mocks.ExtraState["size"] = Google.Protobuf.WellKnownTypes.Value.ForStruct(secret);

        var result = await Deployment.TestAsync(mocks, () =>
        {
            _ = new Server("web", new ServerArgs { Name = "web" });
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception!.Message, Does.Contain("output 'size'"));
            Assert.That(result.Exception.Message, Does.Contain("Int32"));
            Assert.That(result.Exception.ToString(), Does.Not.Contain("hunter2"));
            Assert.That(result.Logs.Select(l => l.Message), Has.None.Contains("hunter2"));
        });
    }

    [Test]
    public async Task Request_carries_the_node_sdk_defaults_and_every_option()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var other = new OtherThing("other");
            _ = new Server("full", new ServerArgs { Name = "full" }, new CustomResourceOptions
            {
                Protect = true,
                RetainOnDelete = false,
                DeleteBeforeReplace = true,
                IgnoreChanges = ["tags"],
                ReplaceOnChanges = ["size"],
                AdditionalSecretOutputs = ["password"],
                CustomTimeouts = new CustomTimeouts { Create = TimeSpan.FromMinutes(5), Delete = TimeSpan.FromSeconds(90) },
                Version = "1.41.0",
                PluginDownloadURL = "github://api.github.com/pulumiverse",
                ImportId = "srv-123",
                Aliases = [new Alias { Name = "old" }],
                DependsOn = { other },
            });
            _ = new Server("plain", new ServerArgs { Name = "plain" });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var full = Reg(result, "full").Request;
        var plain = Reg(result, "plain").Request;
        var otherUrn = Reg(result, "other").Urn;
        Assert.Multiple(() =>
        {
            Assert.That(full.Parent, Is.EqualTo(result.StackUrn));
            Assert.That(full.Custom, Is.True);
            Assert.That(full.AcceptSecrets && full.AcceptResources && full.SupportsPartialValues && full.SupportsResultReporting && full.AliasSpecs, Is.True);
            Assert.That(full.HasProtect && full.Protect, Is.True);
            Assert.That(full.HasRetainOnDelete && !full.RetainOnDelete, Is.True);
            Assert.That(full.DeleteBeforeReplace && full.DeleteBeforeReplaceDefined, Is.True);
            Assert.That(full.IgnoreChanges, Is.EqualTo(L("tags")));
            Assert.That(full.ReplaceOnChanges, Is.EqualTo(L("size")));
            Assert.That(full.AdditionalSecretOutputs, Is.EqualTo(L("password")));
            Assert.That(full.CustomTimeouts.Create, Is.EqualTo("5m"));
            Assert.That(full.CustomTimeouts.Delete, Is.EqualTo("1m30s"));
            Assert.That(full.CustomTimeouts.Update, Is.Empty);
            Assert.That(full.Version, Is.EqualTo("1.41.0"));
            Assert.That(full.PluginDownloadURL, Is.EqualTo("github://api.github.com/pulumiverse"));
            Assert.That(full.ImportId, Is.EqualTo("srv-123"));
            Assert.That(full.Aliases.Single().Spec.Name, Is.EqualTo("old"));
            Assert.That(full.Aliases.Single().Spec.ParentUrn, Is.EqualTo(result.StackUrn));
            Assert.That(full.Dependencies, Is.EqualTo(L(otherUrn)));
            Assert.That(full.PropertyDependencies.Keys, Is.EquivalentTo(L("name")));
            Assert.That(full.PropertyDependencies["name"].Urns, Is.Empty);

            Assert.That(plain.HasProtect, Is.False);
            Assert.That(plain.HasRetainOnDelete, Is.False);
            Assert.That(plain.DeleteBeforeReplaceDefined, Is.False);
            Assert.That(plain.CustomTimeouts, Is.Null);
            Assert.That(plain.Provider, Is.Empty);
        });
    }

    [Test]
    public async Task Output_used_as_input_is_sent_plain_with_its_urn_in_dependencies_and_property_dependencies()
    {
        var result = await Deployment.TestAsync(new ServerMocks(), () =>
        {
            var a = new Server("a", new ServerArgs { Name = "a" });
            _ = new Server("b", new ServerArgs { Name = "b", Tags = new InputList<string> { a.Id, "fixed" } });
        });

        var b = Reg(result, "b");
        var aUrn = Reg(result, "a").Urn;
        Assert.Multiple(() =>
        {
            Assert.That(b.Inputs["tags"]!.ToJsonString(), Is.EqualTo("[\"a-id\",\"fixed\"]"));
            Assert.That(b.Request.Dependencies, Is.EqualTo(L(aUrn)));
            Assert.That(b.Request.PropertyDependencies["tags"].Urns, Is.EqualTo(L(aUrn)));
            Assert.That(b.Request.PropertyDependencies["name"].Urns, Is.Empty);
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Explicit_provider_reference_is_urn_and_id_and_unknown_id_in_preview(bool preview)
    {
        {
            var result = await Deployment.TestAsync(new EchoMocks(), () =>
            {
                var provider = new TestProvider("hel", new TestProviderArgs { Token = Output.CreateSecret("tok") }, new CustomResourceOptions { Version = "1.41.0" });
                _ = new Server("s", new ServerArgs { Name = "s" }, new CustomResourceOptions { Provider = provider });
            }, new TestOptions { IsPreview = preview });

            var provider = Reg(result, "hel");
            var server = Reg(result, "s");
            var expectedId = preview ? Constants.UnknownValue : "hel-id";
            Assert.Multiple(() =>
            {
                Assert.That(provider.Request.Type, Is.EqualTo("pulumi:providers:test"));
                Assert.That(provider.Request.Custom, Is.True);
                Assert.That(provider.Request.Version, Is.EqualTo("1.41.0"));
                Assert.That(provider.Inputs["token"]![Constants.SpecialSigKey]!.GetValue<string>(), Is.EqualTo(Constants.SecretSig));
                Assert.That(server.Request.Provider, Is.EqualTo($"{provider.Urn}::{expectedId}"));
            });
        }
    }

    [Test]
    public async Task Children_inherit_the_provider_of_their_package_through_components_and_custom_parents()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var test = new TestProvider("tp");
            var other = new OtherProvider("op");
            var group = new ComponentResource("boma:index:Box", "box", new ComponentResourceOptions { Providers = [test, other] });
            var inBox = new Server("in-box", new ServerArgs { Name = "x" }, new CustomResourceOptions { Parent = group });
            _ = new OtherThing("other-in-box", new CustomResourceOptions { Parent = group });
            _ = new Server("grandchild", new ServerArgs { Name = "y" }, new CustomResourceOptions { Parent = inBox });
            // A provider of another package only flows on to children.
            var mismatched = new Server("mismatch", new ServerArgs { Name = "z" }, new CustomResourceOptions { Provider = other });
            _ = new OtherThing("child-of-mismatch", new CustomResourceOptions { Parent = mismatched });
            _ = new Server("top", new ServerArgs { Name = "t" });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var tpRef = $"{Reg(result, "tp").Urn}::tp-id";
        var opRef = $"{Reg(result, "op").Urn}::op-id";
        Assert.Multiple(() =>
        {
            Assert.That(Reg(result, "box").Request.Providers["test"], Is.EqualTo(tpRef));
            Assert.That(Reg(result, "box").Request.Providers["other"], Is.EqualTo(opRef));
            Assert.That(Reg(result, "in-box").Request.Provider, Is.EqualTo(tpRef));
            Assert.That(Reg(result, "other-in-box").Request.Provider, Is.EqualTo(opRef));
            Assert.That(Reg(result, "grandchild").Request.Provider, Is.EqualTo(tpRef));
            Assert.That(Reg(result, "mismatch").Request.Provider, Is.Empty);
            Assert.That(Reg(result, "child-of-mismatch").Request.Provider, Is.EqualTo(opRef));
            Assert.That(Reg(result, "top").Request.Provider, Is.Empty);
            Assert.That(Reg(result, "in-box").Request.Parent, Is.EqualTo(Reg(result, "box").Urn));
            Assert.That(Reg(result, "in-box").Urn, Does.Contain("boma:index:Box$test:index/server:Server::in-box"));
        });
    }

    [Test]
    public async Task Protect_is_inherited_from_the_parent_unless_set()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var box = new ComponentResource("boma:index:Box", "box", new ComponentResourceOptions { Protect = true });
            _ = new Server("inherits", new ServerArgs { Name = "a" }, new CustomResourceOptions { Parent = box });
            _ = new Server("overrides", new ServerArgs { Name = "b" }, new CustomResourceOptions { Parent = box, Protect = false });
        });

        Assert.Multiple(() =>
        {
            Assert.That(Reg(result, "box").Request.Protect, Is.True);
            Assert.That(Reg(result, "inherits").Request.HasProtect && Reg(result, "inherits").Request.Protect, Is.True);
            Assert.That(Reg(result, "overrides").Request.HasProtect && !Reg(result, "overrides").Request.Protect, Is.True);
        });
    }

    [Test]
    public async Task DependsOn_a_component_means_its_custom_descendants()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var group = new Group("g", 2);
            var nested = new ComponentResource("boma:index:Inner", "inner", new ComponentResourceOptions { Parent = group });
            var deep = new Server("deep", new ServerArgs { Name = "d" }, new CustomResourceOptions { Parent = nested });
            _ = new OtherThing("under-custom", new CustomResourceOptions { Parent = deep });
            _ = new Server("after", new ServerArgs { Name = "x" }, new CustomResourceOptions { DependsOn = { group } });
        });

        var expected = L("g-m0", "g-m1", "deep").Select(n => Reg(result, n).Urn).Order(StringComparer.Ordinal);
        var after = Reg(result, "after").Request;
        Assert.That(after.Dependencies, Is.EqualTo(expected));
        Assert.That(after.Dependencies, Does.Not.Contain(Reg(result, "g").Urn));
        Assert.That(after.Dependencies, Does.Not.Contain(Reg(result, "under-custom").Urn));
    }

    [Test]
    public async Task DependsOn_the_own_parent_component_waits_only_for_children_created_before()
    {
        // "later" is created after "first" and is its sibling: waiting on it would hang whenever it waits on
        // "first" in turn (pulumi/pulumi#12032). Only earlier children count.
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var box = new ComponentResource("boma:index:Box", "box");
            var earlier = new Server("earlier", new ServerArgs { Name = "e" }, new CustomResourceOptions { Parent = box });
            _ = new Server("first", new ServerArgs { Name = "f" }, new CustomResourceOptions { Parent = box, DependsOn = { box } });
            _ = new Server("later", new ServerArgs { Name = "l" }, new CustomResourceOptions { Parent = box });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(Reg(result, "first").Request.Dependencies, Is.EqualTo(L(Reg(result, "earlier").Urn)));
    }

    [Test]
    public async Task Siblings_that_both_depend_on_their_parent_and_on_each_other_do_not_hang()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            var box = new ComponentResource("boma:index:Box", "box");
            var a = new Server("a", new ServerArgs { Name = "a" }, new CustomResourceOptions { Parent = box, DependsOn = { box } });
            _ = new Server("b", new ServerArgs { Name = a.Id }, new CustomResourceOptions { Parent = box, DependsOn = { box } });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.That(Reg(result, "a").Request.Dependencies, Is.Empty);
        Assert.That(Reg(result, "b").Request.Dependencies, Is.EqualTo(L(Reg(result, "a").Urn)));
    }

    [Test]
    public async Task Two_resources_with_the_same_urn_fail_as_the_engine_fails_them()
    {
        // The engine refuses a second registration of a URN; the recording monitor (tests, the offline plan)
        // must too, or a clash would only show up in `pulumi up`.
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Server("web", new ServerArgs { Name = "a" });
            _ = new Server("web", new ServerArgs { Name = "b" });
            var box = new ComponentResource("boma:index:Box", "box");
            _ = new Server("web", new ServerArgs { Name = "c" }, new CustomResourceOptions { Parent = box });
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Logs.Count(l => l.Severity == Pulumirpc.LogSeverity.Error), Is.EqualTo(1));
            Assert.That(result.Exception!.Message, Does.Contain("Duplicate resource URN 'urn:pulumi:stack::project::test:index/server:Server::web'"));
            // Only one registration per URN ever gets through; the run stops at the clash (official .NET SDK), so
            // whether the one under another parent (a different URN) was sent before that is timing.
            Assert.That(result.Registrations.Where(r => r.Request.Name == "web").Select(r => r.Urn), Is.Unique);
        });
    }

    private sealed class TwoPartType : CustomResource
    {
        public TwoPartType(string name)
            : base("very:bad", name, ResourceArgs.Empty)
        {
        }
    }

    [Test]
    public async Task A_custom_resource_type_without_three_parts_is_an_error_before_registration()
    {
        // The engine answers InvalidArgument for such a custom type; components may use any type.
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new ComponentResource("a:component", "fine");
            _ = new TwoPartType("res");
        });

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(32));
            Assert.That(result.Exception, Is.TypeOf<ResourceException>());
            Assert.That(result.Exception!.Message, Does.Contain("'res'"));
            Assert.That(result.Exception.Message, Does.Contain("'very:bad'"));
            Assert.That(result.Exception.Message, Does.Contain("package:module:Type"));
            Assert.That(result.Registrations.Any(r => r.Request.Name == "res"), Is.False);
            // The run stops at this error, as the official .NET SDK's does: "fine" may or may not have been sent.
        });
    }

    [Test]
    public async Task Outputs_are_filled_from_the_response_with_their_declared_types()
    {
        var mocks = new ServerMocks();
        mocks.ExtraState["extra"] = Google.Protobuf.WellKnownTypes.Value.ForStruct(new Google.Protobuf.WellKnownTypes.Struct
        {
            Fields = { ["list"] = Google.Protobuf.WellKnownTypes.Value.ForList(Google.Protobuf.WellKnownTypes.Value.ForNumber(1)) },
        });
        Server? server = null;
        var result = await Deployment.TestAsync(mocks, () =>
        {
            server = new Server("s", new ServerArgs
            {
                Name = "s",
                Size = 4,
                Tags = new InputList<string> { "a", "b" },
                Labels = new Dictionary<string, string> { ["env"] = "dev" },
                Rule = new NestedArgs { Port = 443, Protocol = "tcp" },
                Password = Output.CreateSecret("hunter2"),
            });
        });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        var s = server!;
        Assert.Multiple(async () =>
        {
            Assert.That(await s.Id.GetValueAsync(), Is.EqualTo("s-id"));
            Assert.That(await s.Urn.GetValueAsync(), Is.EqualTo(Reg(result, "s").Urn));
            Assert.That(await s.Size.GetValueAsync(), Is.EqualTo(4));
            Assert.That(await s.Tags.GetValueAsync(), Is.EqualTo(ImmutableArray.Create("a", "b")));
            Assert.That((await s.Labels.GetValueAsync())["env"], Is.EqualTo("dev"));
            var rule = await s.Rule.GetValueAsync();
            Assert.That(rule!.Port, Is.EqualTo(443));
            Assert.That(rule.Protocol, Is.EqualTo("tcp"));
            Assert.That(await s.Password.GetValueAsync(), Is.EqualTo("hunter2"));
            Assert.That(await Output.IsSecretAsync(s.Password), Is.True);
            Assert.That(await Output.IsSecretAsync(s.Name), Is.False);
            var extra = (Dictionary<string, object?>)(await s.Extra.GetValueAsync())!;
            Assert.That(extra["list"], Is.EqualTo(new List<object?> { 1.0 }));
            var data = await s.Ipv4.GetOutputDataAsync();
            Assert.That(data.Resources, Does.Contain(s));
        });
    }

    [Test]
    public async Task Preview_leaves_ids_and_computed_outputs_unknown_and_apply_does_not_run()
    {
        Server? server = null;
        var ran = false;
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            server = new Server("s", new ServerArgs { Name = "s" });
            _ = new Server("t", new ServerArgs { Name = server.Ipv4.Apply(ip => { ran = true; return ip; }), Tags = new InputList<string> { server.Id } });
        }, new TestOptions { IsPreview = true });

        Assert.That(result.ExitCode, Is.Zero, result.Exception?.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(await server!.Id.IsKnownAsync(), Is.False);
            Assert.That(await server.Ipv4.IsKnownAsync(), Is.False);
            Assert.That(await server.Name.GetValueAsync(), Is.EqualTo("s"));
            Assert.That(ran, Is.False);
            var t = Reg(result, "t");
            Assert.That(t.Inputs["name"]!.GetValue<string>(), Is.EqualTo(Constants.UnknownValue));
            Assert.That(t.Inputs["tags"]![0]!.GetValue<string>(), Is.EqualTo(Constants.UnknownValue));
            Assert.That(t.Request.PropertyDependencies["name"].Urns, Is.EqualTo(L(Reg(result, "s").Urn)));
        });
    }

    [Test]
    public async Task Component_outputs_registered_once_and_components_without_outputs_get_an_empty_registration()
    {
        var result = await Deployment.TestAsync(new EchoMocks(), () =>
        {
            _ = new Group("g", 1);
            _ = new ComponentResource("boma:index:Empty", "empty");
        });

        var g = Reg(result, "g");
        var empty = Reg(result, "empty");
        Assert.Multiple(() =>
        {
            Assert.That(g.Inputs, Is.Empty);
            Assert.That(g.Request.Custom, Is.False);
            Assert.That(result.OutputRegistrations.Where(o => o.Urn == g.Urn).Select(o => o.Outputs.ToJsonString()), Is.EqualTo(L("{\"count\":1}")));
            Assert.That(result.OutputRegistrations.Where(o => o.Urn == empty.Urn).Select(o => o.Outputs.ToJsonString()), Is.EqualTo(L("{}")));
        });
    }

    [Test]
    public void Merge_concatenates_lists_and_lets_the_second_scalar_win()
    {
        var merged = ResourceOptions.Merge(
            new CustomResourceOptions { Protect = true, IgnoreChanges = ["a"], Version = "1.0.0", AdditionalSecretOutputs = ["x"] },
            new CustomResourceOptions { Protect = false, IgnoreChanges = ["b"], AdditionalSecretOutputs = ["y"] });
        Assert.Multiple(() =>
        {
            Assert.That(merged.Protect, Is.False);
            Assert.That(merged.Version, Is.EqualTo("1.0.0"));
            Assert.That(merged.IgnoreChanges, Is.EqualTo(L("a", "b")));
            Assert.That(merged.AdditionalSecretOutputs, Is.EqualTo(L("x", "y")));
        });
    }
}

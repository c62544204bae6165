using NUnit.Framework;
using System.Reflection;
using Boma.Pulumi.Providers;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>
/// The checks every provider package gets: its typed classes against the schema subset, secret
/// flags, and what each registration carries on the wire. One fixture per package derives from it.
/// </summary>
public abstract class PackageTests
{
    private readonly string _package;
    private readonly string[] _tokens;

    protected PackageTests(string package, params string[] tokens)
    {
        _package = package;
        _tokens = tokens;
    }

    private SchemaSubset Subset => SchemaSubset.For(_package);

    private PluginPackage Pinned => PackageVersions.All.Single(p => p.Name == _package);

    private IEnumerable<Type> Classes => SchemaConformance.ClassesOf(_package);

    [Test]
    public void Every_resource_boma_uses_has_a_typed_class()
    {
        Assert.That(Classes.Select(SchemaConformance.TokenOf), Is.EquivalentTo(_tokens));
    }

    [Test]
    public void Every_typed_class_matches_the_schema_subset()
    {
        Assert.Multiple(() =>
        {
            foreach (var type in Classes)
            {
                Assert.That(SchemaConformance.Check(type, Subset), Is.Empty, type.FullName);
            }
        });
    }

    [Test]
    public async Task Schema_secret_inputs_are_wrapped_as_secrets_and_other_inputs_are_not()
    {
        var checkedTypes = new HashSet<(Type, bool)>();
        var problems = new List<string>();
        foreach (var type in Classes)
        {
            var token = SchemaConformance.TokenOf(type);
            var schema = token.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? Subset.Provider : Subset.Resources[token];
            await SecretFlags.CheckAsync(SchemaConformance.ArgsTypeOf(type), schema.Inputs, Subset, token, checkedTypes, problems);
        }

        Assert.That(problems, Is.Empty);
    }

    [Test]
    public async Task Every_registration_carries_the_pinned_version_secret_outputs_and_replace_paths()
    {
        var result = await ProviderRun.RunAsync(() =>
        {
            foreach (var type in Classes)
            {
                Samples.Construct(type, "sample", Samples.ArgsFor(SchemaConformance.TokenOf(type)));
            }
        });

        var mine = result.Registrations
            .Where(r => r.Request.Type.StartsWith(_package + ":", StringComparison.Ordinal) || r.Request.Type == "pulumi:providers:" + _package)
            .ToList();
        Assert.That(mine.Select(r => r.Request.Type), Is.EquivalentTo(_tokens));
        Assert.Multiple(() =>
        {
            foreach (var registration in mine)
            {
                var request = registration.Request;
                var schema = request.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? Subset.Provider : Subset.Resources[request.Type];
                Assert.That(request.Version, Is.EqualTo(Pinned.Version), request.Type);
                Assert.That(request.PluginDownloadURL, Is.EqualTo(Pinned.PluginDownloadUrl ?? string.Empty), request.Type);
                Assert.That(
                    request.AdditionalSecretOutputs,
                    Is.EquivalentTo(schema.Outputs.Values.Where(o => o.Secret).Select(o => o.Name)),
                    $"{request.Type} additionalSecretOutputs");
                Assert.That(
                    request.ReplaceOnChanges,
                    Is.EquivalentTo(schema.Inputs.Values.Where(i => i.ReplaceOnChanges).Select(i => i.Type.StartsWith("array<", StringComparison.Ordinal) ? i.Name + "[*]" : i.Name)),
                    $"{request.Type} replaceOnChanges");

                // Every secret input the sample sets travels wrapped; nothing secret goes out in plain text.
                foreach (var input in schema.Inputs.Values.Where(i => i.Secret && registration.Inputs.ContainsKey(i.Name)))
                {
                    Assert.That(ProviderRun.IsSecret(registration.Inputs[input.Name]), Is.True, $"{request.Type} input {input.Name} is not sent as a secret");
                }
            }
        });
    }

    [Test]
    public async Task Every_output_resolves_from_the_engine_response()
    {
        // The mocks echo the inputs, so every typed [Output] (lists, maps, nested objects) is converted back.
        var result = await ProviderRun.RunAsync(() =>
        {
            foreach (var type in Classes)
            {
                Samples.Construct(type, "sample", Samples.ArgsFor(SchemaConformance.TokenOf(type)));
            }
        });

        Assert.That(result.Exception, Is.Null, result.Exception?.ToString());

        // Every [Output] property of every constructed resource completes with a converted value (a converter
        // failure faults the task); counted, so an empty run cannot pass.
        var resources = result.Resources.Where(r => Classes.Contains(r.GetType())).ToList();
        Assert.That(resources.Select(r => r.GetType()).Distinct().Count(), Is.EqualTo(Classes.Count()));
        var checkedOutputs = 0;
        foreach (var resource in resources)
        {
            foreach (var property in resource.GetType().GetProperties().Where(p => p.PropertyType.IsGenericType
                         && p.PropertyType.GetGenericTypeDefinition() == typeof(Output<>)
                         && p.GetCustomAttributes(typeof(OutputAttribute), true).Length > 0))
            {
                var output = property.GetValue(resource);
                Assert.That(output, Is.Not.Null, $"{resource.GetType().Name}.{property.Name}");
                var isKnown = typeof(Boma.Pulumi.Testing.OutputExtensions).GetMethod(nameof(Boma.Pulumi.Testing.OutputExtensions.IsKnownAsync))!
                    .MakeGenericMethod(property.PropertyType.GetGenericArguments()[0]);
                Assert.That(await (Task<bool>)isKnown.Invoke(null, [output])!, Is.True, $"{resource.GetType().Name}.{property.Name} did not resolve");
                checkedOutputs++;
            }
        }

        Assert.That(checkedOutputs, Is.GreaterThan(resources.Count), "the sample resources declare outputs");
    }

    [Test]
    public async Task Caller_options_merge_with_the_package_defaults()
    {
        var type = Classes.First(t => !SchemaConformance.TokenOf(t).StartsWith("pulumi:providers:", StringComparison.Ordinal));
        var token = SchemaConformance.TokenOf(type);
        var result = await ProviderRun.RunAsync(() => Samples.Construct(
            type,
            "merged",
            Samples.ArgsFor(token),
            new CustomResourceOptions { AdditionalSecretOutputs = ["extra"], IgnoreChanges = ["labels"] }));

        var request = ProviderRun.Registration(result, token, "merged").Request;
        Assert.Multiple(() =>
        {
            Assert.That(request.Version, Is.EqualTo(Pinned.Version));
            Assert.That(request.AdditionalSecretOutputs, Does.Contain("extra"));
            Assert.That(request.IgnoreChanges, Does.Contain("labels"));
        });
    }

    [Test]
    public async Task A_missing_required_input_fails_construction_naming_resource_property_and_fix()
    {
        foreach (var type in Classes)
        {
            var token = SchemaConformance.TokenOf(type);
            var args = SchemaConformance.ArgsTypeOf(type);
            foreach (var property in args.GetProperties())
            {
                if (property.GetCustomAttribute<InputAttribute>() is not { IsRequired: true } input)
                {
                    continue;
                }

                var sample = Samples.ArgsFor(token);
                property.SetValue(sample, null);
                var (error, result) = await ProviderRun.FailureOfAsync(() => Samples.Construct(type, "broken", sample));
                Assert.That(error, Is.InstanceOf<ResourceException>(), $"{token} without {input.Name}");
                Assert.That(error!.Message, Does.Contain(token).And.Contain("broken").And.Contain(input.Name).And.Contain("set "), $"{token} without {input.Name}");
                Assert.That(result?.Registrations.Any(r => r.Request.Type == token) ?? false, Is.False, $"{token} was registered although {input.Name} is missing");
            }
        }
    }
}

using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pulumirpc;
using Boma.Pulumi.Serialization;
using RpcAlias = Pulumirpc.Alias;

namespace Boma.Pulumi;

/// <summary>Resource registration: waits only on real dependencies, then one RegisterResource (or ReadResource).</summary>
internal sealed partial class DeploymentRun
{
    public Task<RegistrationResult> StartRegistration(Resource resource, ResourceArgs? args)
    {
        var task = RegisterAsync(resource, args);
        Track(task);
        return task;
    }

    public void StartRegisterOutputs(ComponentResource resource, object? outputs) => Track(RegisterOutputsAsync(resource, outputs));

    /// <remarks>
    /// This method's state machine is the registration task every resource keeps for the whole run, so it holds only
    /// what the common registration needs across its awaits: the provider map, the read, the per-property dependency
    /// lists and the aliases are built in methods of their own, which finish without a state machine when nothing
    /// is pending.
    /// </remarks>
    private async Task<RegistrationResult> RegisterAsync(Resource resource, ResourceArgs? args)
    {
        // The first registration (the stack's) asks resourceReferences: started here, in the constructor, the request
        // leaves while the program goes on building resources, instead of after them. Same request, asked once.
        var resourceReferences = SupportsAsync(FeatureResourceReferences);

        // Let the constructor (and the subclass constructor) finish before any other work happens.
        await Task.Yield();

        var options = resource.Options;
        var parentUrn = resource.Parent is null ? "" : (await resource.Parent.Registration.ConfigureAwait(false)).Urn;
        var providerRef = resource.Provider is null ? "" : await resource.Provider.GetReferenceAsync().ConfigureAwait(false);
        var providerRefs = resource.OwnProviders.IsEmpty ? null : await ProviderReferencesAsync(resource.OwnProviders).ConfigureAwait(false);

        // Asked when first needed and then remembered, as the official .NET SDK does (Deployment_Prepare.cs):
        // resourceReferences before serializing, aliasSpecs before the aliases. Secrets are always kept (it never asks).
        var serializer = new Serializer(keepSecrets: true, await resourceReferences.ConfigureAwait(false));
        var obj = new Struct();
        var propertyDeps = new Dictionary<string, HashSet<Resource>>(StringComparer.Ordinal);
        if (resource.IsCustom && args is not null)
        {
            (obj, propertyDeps) = await serializer.SerializeArgsAsync(args, Context(resource)).ConfigureAwait(false);
        }

        var aliasSpecs = await SupportsAsync(FeatureAliasSpecs).ConfigureAwait(false);

        var allDeps = new HashSet<Resource>();
        if (options.HasDependsOn)
        {
            var dependsOn = await options.DependsOn.ToOutput().DataTask.ConfigureAwait(false);
            if (dependsOn.IsKnown && !dependsOn.Value.IsDefault)
            {
                allDeps.UnionWith(dependsOn.Value.Where(r => r is not null));
            }
        }

        foreach (var deps in propertyDeps.Values)
        {
            allDeps.UnionWith(deps);
        }

        var readId = options.Id is null ? null : await options.Id.ToOutput().DataTask.ConfigureAwait(false);
        var dependencyUrns = await DependencyUrnsAsync(allDeps, resource).ConfigureAwait(false);

        if (readId is not null)
        {
            return await ReadAsync(resource, readId, parentUrn, providerRef, obj, dependencyUrns).ConfigureAwait(false);
        }

        var request = new RegisterResourceRequest
        {
            Type = resource.GetResourceType(),
            Name = resource.GetResourceName(),
            Parent = parentUrn,
            Custom = resource.IsCustom,
            Object = obj,
            Provider = providerRef,
            Version = options.Version ?? "",
            PluginDownloadURL = options.PluginDownloadURL ?? "",
            AcceptSecrets = true,
            AcceptResources = true,
            SupportsPartialValues = true,
            SupportsResultReporting = true,
            AliasSpecs = aliasSpecs,
        };
        request.Dependencies.AddRange(dependencyUrns);
        await AddPropertyDependenciesAsync(request, propertyDeps, resource).ConfigureAwait(false);

        if (resource.Protect is bool protect)
        {
            request.Protect = protect;
        }

        if (options.RetainOnDelete is bool retain)
        {
            request.RetainOnDelete = retain;
        }

        request.IgnoreChanges.AddRange(options.IgnoreChangesOrNone);
        request.ReplaceOnChanges.AddRange(options.ReplaceOnChangesOrNone);
        if (options is CustomResourceOptions custom)
        {
            if (custom.DeleteBeforeReplace is bool dbr)
            {
                request.DeleteBeforeReplace = dbr;
                request.DeleteBeforeReplaceDefined = true;
            }

            request.AdditionalSecretOutputs.AddRange(custom.AdditionalSecretOutputsOrNone);
            request.ImportId = custom.ImportId ?? "";
        }

        if (options.CustomTimeouts is { } timeouts)
        {
            request.CustomTimeouts = new RegisterResourceRequest.Types.CustomTimeouts
            {
                Create = CustomTimeouts.ToGoDuration(timeouts.Create),
                Update = CustomTimeouts.ToGoDuration(timeouts.Update),
                Delete = CustomTimeouts.ToGoDuration(timeouts.Delete),
            };
        }

        if (options.AliasesOrNone.Count > 0)
        {
            if (!request.AliasSpecs)
            {
                throw new ResourceException($"{Context(resource)} has aliases, but this Pulumi engine does not support alias specs: update the Pulumi CLI.", resource);
            }

            await AddAliasesAsync(request, options.AliasesOrNone, parentUrn).ConfigureAwait(false);
        }

        if (providerRefs is not null)
        {
            foreach (var (package, reference) in providerRefs)
            {
                request.Providers[package] = reference;
            }
        }

        var response = await CallAsync(() => Monitor.RegisterResourceAsync(request)).ConfigureAwait(false);
        if (resource.IsRoot)
        {
            await SetRootResourceAsync(response.Urn).ConfigureAwait(false);
        }

        if (response.Unknown && request.Custom && !IsDryRun)
        {
            // A create the engine skipped (outside --target, field 8): the id and every output the inputs do not give
            // stay unknown instead of resolving to empty values, as the Node SDK resolves them (inputs, then unknown).
            return new RegistrationResult(response.Urn, string.Empty, request.Object ?? new Struct(), KeepUnknowns: true);
        }

        var keepUnknowns = IsDryRun || response.Result != Result.Success;
        return new RegistrationResult(response.Urn, response.Id, response.Object ?? new Struct(), keepUnknowns);
    }

    private static string Context(Resource resource) => $"{resource.GetResourceType()} '{resource.GetResourceName()}'";

    private static async Task<SortedDictionary<string, string>> ProviderReferencesAsync(ImmutableDictionary<string, ProviderResource> providers)
    {
        var references = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (package, provider) in providers)
        {
            references[package] = await provider.GetReferenceAsync().ConfigureAwait(false);
        }

        return references;
    }

    private async Task<RegistrationResult> ReadAsync(
        Resource resource, OutputData<string> readId, string parentUrn, string providerRef, Struct obj, IReadOnlyList<string> dependencyUrns)
    {
        var options = resource.Options;
        var read = new ReadResourceRequest
        {
            Id = readId.IsKnown ? readId.Value ?? "" : Constants.UnknownValue,
            Type = resource.GetResourceType(),
            Name = resource.GetResourceName(),
            Parent = parentUrn,
            Properties = obj,
            Provider = providerRef,
            Version = options.Version ?? "",
            PluginDownloadURL = options.PluginDownloadURL ?? "",
            AcceptSecrets = true,
            AcceptResources = true,
        };
        read.Dependencies.AddRange(dependencyUrns);
        if (options is CustomResourceOptions readOptions)
        {
            read.AdditionalSecretOutputs.AddRange(readOptions.AdditionalSecretOutputsOrNone);
        }

        var readResponse = await CallAsync(() => Monitor.ReadResourceAsync(read)).ConfigureAwait(false);
        return new RegistrationResult(readResponse.Urn, read.Id, readResponse.Properties ?? new Struct(), IsDryRun);
    }

    private static async Task AddPropertyDependenciesAsync(RegisterResourceRequest request, Dictionary<string, HashSet<Resource>> propertyDeps, Resource resource)
    {
        foreach (var (key, deps) in propertyDeps)
        {
            var entry = new RegisterResourceRequest.Types.PropertyDependencies();
            entry.Urns.AddRange(await DependencyUrnsAsync(deps, resource).ConfigureAwait(false));
            request.PropertyDependencies[key] = entry;
        }
    }

    private static async Task AddAliasesAsync(RegisterResourceRequest request, IReadOnlyList<Input<Alias>> aliases, string parentUrn)
    {
        foreach (var input in aliases)
        {
            if (input is null)
            {
                continue;
            }

            var alias = await input.ToOutput().DataTask.ConfigureAwait(false);
            if (alias.IsKnown && alias.Value is not null)
            {
                request.Aliases.Add(await AliasAsync(alias.Value, parentUrn).ConfigureAwait(false));
            }
        }
    }

    private async Task SetRootResourceAsync(string urn)
    {
        try
        {
            await CallAsync(async () =>
            {
                await Engine.SetRootResourceAsync(urn).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // Older engines do not store the root resource; nothing depends on it.
        }
    }

    private static async Task<RpcAlias> AliasAsync(Alias alias, string currentParentUrn)
    {
        if (alias.Urn is { } urn)
        {
            return new RpcAlias { Urn = urn };
        }

        var spec = new RpcAlias.Types.Spec
        {
            Name = alias.Name ?? "",
            Type = alias.Type ?? "",
            Stack = alias.Stack ?? "",
            Project = alias.Project ?? "",
        };
        if (alias.NoParent)
        {
            spec.NoParent = true;
        }
        else if (alias.Parent is { } parent)
        {
            spec.ParentUrn = (await parent.Registration.ConfigureAwait(false)).Urn;
        }
        else
        {
            spec.ParentUrn = alias.ParentUrn ?? currentParentUrn;
        }

        return new RpcAlias { Spec = spec };
    }

    /// <summary>URNs for a dependency set: a component stands for its custom descendants created before <paramref name="self"/>; the resource itself is left out.</summary>
    private static async Task<IReadOnlyList<string>> DependencyUrnsAsync(HashSet<Resource> resources, Resource self)
    {
        // The usual cases without the walk's sets: no dependency, or one custom resource (a chain's previous link).
        if (resources.Count == 0)
        {
            return [];
        }

        if (resources.Count == 1 && resources.First() is { IsCustom: true } single && !ReferenceEquals(single, self))
        {
            return [(await single.Registration.ConfigureAwait(false)).Urn];
        }

        var urns = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Resource>();
        var todo = new Stack<Resource>(resources);
        while (todo.Count > 0)
        {
            var r = todo.Pop();
            if (!seen.Add(r) || ReferenceEquals(r, self))
            {
                continue;
            }

            // Wait until the dependency (or the component and so its constructor) is registered.
            var result = await r.Registration.ConfigureAwait(false);
            if (r.IsCustom)
            {
                urns.Add(result.Urn);
                continue;
            }

            // Only children created before this resource: a later one can wait on this one (a sibling that
            // also depends on the shared parent, or takes this one's outputs), and waiting on it would hang.
            foreach (var child in r.Children.Where(c => c.Sequence < self.Sequence))
            {
                todo.Push(child);
            }
        }

        return [.. urns];
    }

    private async Task RegisterOutputsAsync(ComponentResource resource, object? outputs)
    {
        var urn = (await resource.Registration.ConfigureAwait(false)).Urn;
        var serializer = new Serializer(keepSecrets: true, await SupportsAsync(FeatureResourceReferences).ConfigureAwait(false));
        var context = $"outputs of {resource.GetResourceType()} '{resource.GetResourceName()}'";

        if (outputs is Output<IDictionary<string, object?>> whole)
        {
            var data = await whole.DataTask.ConfigureAwait(false);
            outputs = data.IsKnown ? data.Value : new Dictionary<string, object?>();
        }

        var result = new Struct();
        if (outputs is IDictionary<string, object?> dict)
        {
            foreach (var (key, value) in dict)
            {
                if (value is null)
                {
                    continue;
                }

                var serialized = await serializer.SerializeAsync(value, [], $"{context}: '{key}'").ConfigureAwait(false);
                if (serialized.KindCase == Value.KindOneofCase.NullValue)
                {
                    // An output that resolved to nothing is left out, like an undefined value in the Node SDK.
                    continue;
                }

                result.Fields[key] = serialized;
            }
        }

        await CallAsync(async () =>
        {
            await Monitor.RegisterResourceOutputsAsync(new RegisterResourceOutputsRequest { Urn = urn, Outputs = result }).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }
}

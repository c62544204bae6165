using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Boma.Pulumi.Serialization;
using Pulumirpc;

namespace Boma.Pulumi;

/// <summary>Provider function calls (ResourceMonitor.Invoke).</summary>
internal sealed partial class DeploymentRun
{
    public async Task<OutputData<T>> InvokeAsync<T>(string token, ResourceArgs? args, InvokeOptions? options)
    {
        options ??= new InvokeOptions();
        var context = $"function '{token}'";
        var serializer = new Serializer(keepSecrets: true, await SupportsAsync(FeatureResourceReferences).ConfigureAwait(false));
        var obj = new Struct();
        var deps = ImmutableHashSet<Resource>.Empty;
        if (args is not null)
        {
            var (serialized, propertyDeps) = await serializer.SerializeArgsAsync(args, context).ConfigureAwait(false);
            obj = serialized;
            deps = propertyDeps.Values.SelectMany(d => d).ToImmutableHashSet();
        }

        if (ContainsUnknown(Value.ForStruct(obj)))
        {
            // The official SDKs do not call a function whose arguments are not known yet.
            return OutputData<T>.Unknown(false, deps);
        }

        var provider = options.Provider ?? options.Parent?.Providers.GetValueOrDefault(Resource.PackageOf(token));
        var request = new ResourceInvokeRequest
        {
            Tok = token,
            Args = obj,
            Provider = provider is null ? "" : await provider.GetReferenceAsync().ConfigureAwait(false),
            Version = options.Version ?? "",
            PluginDownloadURL = options.PluginDownloadURL ?? "",
            AcceptResources = true,
        };
        var response = await CallAsync(() => Monitor.InvokeAsync(request)).ConfigureAwait(false);
        if (response.Failures.Count > 0)
        {
            var reasons = string.Join("; ", response.Failures.Select(f => string.IsNullOrEmpty(f.Property) ? f.Reason : $"{f.Property}: {f.Reason}"));
            throw new ResourceException($"Calling {context} failed: {reasons}", null);
        }

        var data = Deserializer.Deserialize(Value.ForStruct(response.Return ?? new Struct()), IsDryRun);
        if (!data.IsKnown)
        {
            return OutputData<T>.Unknown(data.IsSecret, deps);
        }

        return new OutputData<T>((T)Converter.Convert(data.Value, typeof(T), $"result of {context}")!, true, data.IsSecret, deps);
    }

    private static bool ContainsUnknown(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => Deserializer.IsUnknown(value.StringValue),
        Value.KindOneofCase.ListValue => value.ListValue.Values.Any(ContainsUnknown),
        Value.KindOneofCase.StructValue => value.StructValue.Fields.Values.Any(ContainsUnknown),
        _ => false,
    };
}

using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using Boma.Pulumi.Serialization;
using Pulumirpc;

namespace Boma.Pulumi.Testing;

/// <summary>
/// An in-process <see cref="IResourceMonitor"/> that answers like the engine (URNs, IDs, state from <see cref="IMocks"/>)
/// and records every request in send order.
/// </summary>
public sealed class RecordingMonitor : IResourceMonitor
{
    private readonly IMocks _mocks;
    private readonly string _project;
    private readonly string _stack;
    private readonly bool _isPreview;
    private readonly Lock _lock = new();
    private readonly List<RecordedRegistration> _registrations = [];
    private readonly List<RecordedOutputs> _outputs = [];
    private readonly List<string> _features = [];
    private readonly List<ResourceInvokeRequest> _invokes = [];
    private readonly HashSet<string> _urns = new(StringComparer.Ordinal);
    private int _shutdownCalls;

    /// <summary>Creates the monitor for a stack.</summary>
    public RecordingMonitor(IMocks? mocks = null, string project = "project", string stack = "stack", bool isPreview = false)
    {
        _mocks = mocks ?? new EchoMocks();
        _project = project;
        _stack = stack;
        _isPreview = isPreview;
    }

    /// <summary>Registrations and reads, in the order they arrived.</summary>
    public ImmutableArray<RecordedRegistration> Registrations
    {
        get
        {
            lock (_lock)
            {
                return [.. _registrations];
            }
        }
    }

    /// <summary>RegisterResourceOutputs calls, in the order they arrived.</summary>
    public ImmutableArray<RecordedOutputs> OutputRegistrations
    {
        get
        {
            lock (_lock)
            {
                return [.. _outputs];
            }
        }
    }

    /// <summary>Feature ids asked, in the order they arrived.</summary>
    public ImmutableArray<string> FeatureRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _features];
            }
        }
    }

    /// <summary>Invoke calls.</summary>
    public ImmutableArray<ResourceInvokeRequest> Invokes
    {
        get
        {
            lock (_lock)
            {
                return [.. _invokes];
            }
        }
    }

    /// <summary>How often SignalAndWaitForShutdown was called.</summary>
    public int ShutdownCalls => Volatile.Read(ref _shutdownCalls);

    /// <inheritdoc />
    public Task<bool> SupportsFeatureAsync(string id)
    {
        lock (_lock)
        {
            _features.Add(id);
        }

        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public async Task<RegisterResourceResponse> RegisterResourceAsync(RegisterResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var urn = Claim(Urn.Create(_stack, _project, request.Parent, request.Type, request.Name));
        var id = "";
        var state = new Struct();
        if (request.Custom)
        {
            (id, state) = await NewResourceAsync(request, urn).ConfigureAwait(false);
        }

        Record(request, urn, id, state, isRead: false);
        return new RegisterResourceResponse { Urn = urn, Id = id, Object = state };
    }

    /// <inheritdoc />
    public async Task<ReadResourceResponse> ReadResourceAsync(ReadResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var urn = Claim(Urn.Create(_stack, _project, request.Parent, request.Type, request.Name));
        var asRegistration = new RegisterResourceRequest
        {
            Type = request.Type,
            Name = request.Name,
            Parent = request.Parent,
            Custom = true,
            Object = request.Properties,
            Provider = request.Provider,
            Version = request.Version,
            PluginDownloadURL = request.PluginDownloadURL,
            AcceptSecrets = request.AcceptSecrets,
            AcceptResources = request.AcceptResources,
            ImportId = request.Id,
        };
        asRegistration.Dependencies.AddRange(request.Dependencies);
        asRegistration.AdditionalSecretOutputs.AddRange(request.AdditionalSecretOutputs);
        var (id, state) = await NewResourceAsync(asRegistration, urn).ConfigureAwait(false);
        Record(asRegistration, urn, id, state, isRead: true);
        return new ReadResourceResponse { Urn = urn, Properties = state };
    }

    /// <summary>Refuses a URN registered before, with the engine's message, so a clash shows up before <c>pulumi up</c>.</summary>
    private string Claim(string urn)
    {
        lock (_lock)
        {
            if (!_urns.Add(urn))
            {
                throw new Grpc.Core.RpcException(new Grpc.Core.Status(
                    Grpc.Core.StatusCode.Unknown, $"Duplicate resource URN '{urn}'; try giving it a unique name"));
            }
        }

        return urn;
    }

    private async Task<(string Id, Struct State)> NewResourceAsync(RegisterResourceRequest request, string urn)
    {
        var (type, name, provider, importId) = (request.Type, request.Name, request.Provider, request.ImportId);
        var inputs = request.Object ?? new Struct();
        var plain = ToPlain(inputs);
        var (mockId, mockState) = await _mocks.NewResourceAsync(new MockResourceArgs
        {
            Type = type,
            Name = name,
            Inputs = plain,
            WireInputs = inputs.Clone(),
            Provider = provider,
            Id = string.IsNullOrEmpty(importId) ? null : importId,
            Custom = true,
            Urn = urn,
            Request = request.Clone(),
        }).ConfigureAwait(false);
        var state = await ToStructAsync(mockState, $"mock state of {type} '{name}'").ConfigureAwait(false);
        var id = mockId ?? (_isPreview ? "" : $"{name}-id");
        return (id, state);
    }

    private void Record(RegisterResourceRequest request, string urn, string id, Struct state, bool isRead)
    {
        var registration = new RecordedRegistration
        {
            Request = request.Clone(),
            Urn = urn,
            Id = id,
            Inputs = WireJson.ToJson(request.Object),
            Outputs = WireJson.ToJson(state),
            IsRead = isRead,
        };
        lock (_lock)
        {
            _registrations.Add(registration);
        }
    }

    /// <inheritdoc />
    public Task RegisterResourceOutputsAsync(RegisterResourceOutputsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recorded = new RecordedOutputs { Request = request.Clone(), Outputs = WireJson.ToJson(request.Outputs) };
        lock (_lock)
        {
            _outputs.Add(recorded);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<InvokeResponse> InvokeAsync(ResourceInvokeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            _invokes.Add(request.Clone());
        }

        var result = await _mocks.CallAsync(new MockCallArgs
        {
            Token = request.Tok,
            Args = ToPlain(request.Args ?? new Struct()),
            Provider = request.Provider,
        }).ConfigureAwait(false);
        return new InvokeResponse { Return = await ToStructAsync(result, $"mock result of {request.Tok}").ConfigureAwait(false) };
    }

    /// <inheritdoc />
    public Task SignalAndWaitForShutdownAsync()
    {
        Interlocked.Increment(ref _shutdownCalls);
        return Task.CompletedTask;
    }

    private static ImmutableDictionary<string, object?> ToPlain(Struct s) =>
        s.Fields.ToImmutableDictionary(f => f.Key, f => Deserializer.Deserialize(f.Value, keepUnknowns: false).Value, StringComparer.Ordinal);

    private static async Task<Struct> ToStructAsync(object? state, string context)
    {
        if (state is null)
        {
            return new Struct();
        }

        var value = await new Serializer().SerializeAsync(state, [], context).ConfigureAwait(false);
        return value.KindCase == Value.KindOneofCase.StructValue
            ? value.StructValue
            : throw new InvalidOperationException($"{context} must be an object (a dictionary or a Struct), not {state.GetType().Name}.");
    }
}

using System.Collections.Immutable;

namespace Boma.Pulumi;

/// <summary>Base of everything the program registers with the engine.</summary>
public abstract class Resource
{
    private readonly string _type;
    private readonly string _name;
    // Made when the first child arrives (most resources never have one); its own lock guards adding and reading.
    private List<Resource>? _children;
    private ImmutableHashSet<Resource>? _self;
    private Output<string>? _urn;

    private protected Resource(string type, string name, bool custom, ResourceArgs? args, ResourceOptions? options, bool isRoot = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Run = DeploymentRun.Current ?? throw new InvalidOperationException(
            $"Resource '{name}' ({type}) was created outside a deployment: create resources inside Deployment.RunAsync(...) or Deployment.TestAsync(...).");

        _type = type;
        _name = name;
        Sequence = Run.NextSequence();
        IsCustom = custom;
        IsRoot = isRoot;
        Options = options ?? (custom ? new CustomResourceOptions() : new ComponentResourceOptions());

        // Bad input is reported here, synchronously, before anything reaches the engine.
        if (args is not null)
        {
            Serialization.ArgsValidator.Validate(type, name, args);
        }

        Serialization.PluginVersion.Validate(Options.Version, "Resource", name, type);
        if (custom && (type.AsSpan().Count(':') != 2 || type.StartsWith(':')))
        {
            // The engine answers InvalidArgument for these; its package part also picks the provider plugin.
            throw new ResourceException(
                $"Resource '{name}' has type '{type}', which is not a custom resource type token: use 'package:module:Type' (e.g. 'hcloud:index/server:Server').", null);
        }

        if (isRoot)
        {
            Run.SetStack(this);
        }
        else
        {
            Parent = Options.Parent ?? Run.Stack ?? throw new InvalidOperationException(
                $"Resource '{name}' ({type}) was created before the stack: create resources inside the program passed to Deployment.RunAsync.");
        }

        // Client-side inheritance, like the official SDKs: protect and the package → provider map.
        Protect = Options.Protect ?? Parent?.Protect;
        var providers = Parent?.Providers ?? ImmutableDictionary<string, ProviderResource>.Empty;
        if (custom)
        {
            var package = PackageOf(type);
            var explicitProvider = Options.Provider;
            if (explicitProvider is not null && explicitProvider.Package != package)
            {
                // A provider for another package cannot serve this resource; it only flows on to children.
                providers = providers.SetItem(explicitProvider.Package, explicitProvider);
                explicitProvider = null;
            }

            Provider = explicitProvider ?? providers.GetValueOrDefault(package);
            if (Provider is not null)
            {
                providers = providers.SetItem(package, Provider);
            }
        }
        else
        {
            var own = ImmutableDictionary<string, ProviderResource>.Empty;
            if (Options is ComponentResourceOptions componentOptions)
            {
                foreach (var p in componentOptions.Providers)
                {
                    own = own.SetItem(p.Package, p);
                }
            }

            if (Options.Provider is { } single)
            {
                own = own.SetItem(single.Package, single);
            }

            OwnProviders = own;
            providers = providers.SetItems(own);
        }

        Providers = providers;
        Parent?.AddChild(this);
        Run.AddResource(this);

        Registration = Run.StartRegistration(this, args);
        if (custom)
        {
            Serialization.OutputFiller.Fill(this);
        }
    }

    /// <summary>The URN the engine assigned.</summary>
    /// <remarks>
    /// Made on first use: most resources' URN output is never read, and each one made up front lived (a task and the
    /// output) for the whole run. Not tracked: its only failure is the registration's, which the run tracks.
    /// </remarks>
    public Output<string> Urn
    {
        get
        {
            var urn = Volatile.Read(ref _urn);
            return urn ?? Interlocked.CompareExchange(ref _urn, urn = new Output<string>(UrnAsync(), track: false), null) ?? urn;
        }
    }

    /// <summary>The type token.</summary>
    public string GetResourceType() => _type;

    /// <summary>The logical name.</summary>
    public string GetResourceName() => _name;

    internal DeploymentRun Run { get; }

    internal bool IsCustom { get; }

    internal bool IsRoot { get; }

    internal ResourceOptions Options { get; }

    internal Resource? Parent { get; }

    /// <summary>Effective protect flag (own or inherited); null when nobody set it.</summary>
    internal bool? Protect { get; }

    /// <summary>The explicit provider of a custom resource (own or inherited).</summary>
    internal ProviderResource? Provider { get; }

    /// <summary>Package → provider map children inherit.</summary>
    internal ImmutableDictionary<string, ProviderResource> Providers { get; }

    /// <summary>Providers given on this component itself (sent in the <c>providers</c> field).</summary>
    internal ImmutableDictionary<string, ProviderResource> OwnProviders { get; } = ImmutableDictionary<string, ProviderResource>.Empty;

    internal Task<RegistrationResult> Registration { get; }

    /// <summary>Creation order within the run; see <c>DependencyUrnsAsync</c> for why it matters.</summary>
    internal long Sequence { get; }

    /// <summary>The set of just this resource, which every output of it depends on: one per resource, not one per output.</summary>
    internal ImmutableHashSet<Resource> Self => _self ??= ImmutableHashSet.Create(this);

    internal ImmutableArray<Resource> Children
    {
        get
        {
            var children = Volatile.Read(ref _children);
            if (children is null)
            {
                return [];
            }

            lock (children)
            {
                return [.. children];
            }
        }
    }

    private void AddChild(Resource child)
    {
        var children = Volatile.Read(ref _children) ?? Interlocked.CompareExchange(ref _children, new List<Resource>(), null) ?? _children!;
        lock (children)
        {
            children.Add(child);
        }
    }

    private async Task<OutputData<string>> UrnAsync()
    {
        var result = await Registration.ConfigureAwait(false);
        return new OutputData<string>(result.Urn, true, false, Self);
    }

    internal static string PackageOf(string type)
    {
        var colon = type.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? type : type[..colon];
    }

    /// <inheritdoc />
    public override string ToString() => $"{_type}::{_name}";
}

using System.Collections.Immutable;
using Boma.Pulumi.Testing;

namespace Boma.Pulumi.Tests.Testing;

public sealed class NestedArgs : ResourceArgs
{
    [Input("port", required: true)]
    public Input<int>? Port { get; set; }

    [Input("protocol")]
    public Input<string>? Protocol { get; set; }

    public override IEnumerable<string> Validate()
    {
        if (Port?.ToOutput().DataTask is { IsCompletedSuccessfully: true } t && t.Result.IsKnown && t.Result.Value is < 1 or > 65535)
        {
            yield return $"port {t.Result.Value} is outside 1-65535; use a valid TCP port";
        }
    }
}

public sealed class ServerArgs : ResourceArgs
{
    [Input("name", required: true)]
    public Input<string>? Name { get; set; }

    [Input("size")]
    public Input<int>? Size { get; set; }

    [Input("tags")]
    public InputList<string>? Tags { get; set; }

    [Input("labels")]
    public InputMap<string>? Labels { get; set; }

    [Input("rule")]
    public NestedArgs? Rule { get; set; }

    [Input("password")]
    public Input<string>? Password { get; set; }

    [Input("settings", json: true)]
    public Input<ImmutableDictionary<string, object>>? Settings { get; set; }

    [Input("script")]
    public Input<AssetOrArchive>? Script { get; set; }
}

[OutputType]
public sealed class RuleOutput
{
    [OutputConstructor]
    public RuleOutput(int port, string? protocol)
    {
        Port = port;
        Protocol = protocol;
    }

    public int Port { get; }

    public string? Protocol { get; }
}

public sealed class Server : CustomResource
{
    public Server(string name, ServerArgs args, CustomResourceOptions? options = null)
        : base("test:index/server:Server", name, args, options)
    {
    }

    [Output("name")]
    public Output<string> Name { get; private set; } = null!;

    [Output("size")]
    public Output<int> Size { get; private set; } = null!;

    [Output("tags")]
    public Output<ImmutableArray<string>> Tags { get; private set; } = null!;

    [Output("labels")]
    public Output<ImmutableDictionary<string, string>> Labels { get; private set; } = null!;

    [Output("rule")]
    public Output<RuleOutput?> Rule { get; private set; } = null!;

    [Output("password")]
    public Output<string?> Password { get; private set; } = null!;

    [Output("ipv4")]
    public Output<string> Ipv4 { get; private set; } = null!;

    [Output("extra")]
    public Output<object?> Extra { get; private set; } = null!;
}

public sealed class OtherThing : CustomResource
{
    public OtherThing(string name, CustomResourceOptions? options = null)
        : base("other:index:Thing", name, ResourceArgs.Empty, options)
    {
    }
}

public sealed class TestProviderArgs : ResourceArgs
{
    [Input("token")]
    public Input<string>? Token { get; set; }
}

public sealed class TestProvider : ProviderResource
{
    public TestProvider(string name, TestProviderArgs? args = null, CustomResourceOptions? options = null)
        : base("test", name, args ?? new TestProviderArgs(), options)
    {
    }
}

public sealed class OtherProvider : ProviderResource
{
    public OtherProvider(string name, CustomResourceOptions? options = null)
        : base("other", name, ResourceArgs.Empty, options)
    {
    }
}

public sealed class Group : ComponentResource
{
    public Group(string name, int members, ComponentResourceOptions? options = null)
        : base("boma:index:Group", name, options)
    {
        for (var i = 0; i < members; i++)
        {
            Members.Add(new Server($"{name}-m{i}", new ServerArgs { Name = $"{name}-m{i}" }, new CustomResourceOptions { Parent = this }));
        }

        Count = Output.Create(members);
        RegisterOutputs();
    }

    public List<Server> Members { get; } = [];

    [Output("count")]
    public Output<int> Count { get; private set; }
}

/// <summary>Adds computed outputs like a provider would: an ipv4 address, unknown in a preview.</summary>
public sealed class ServerMocks : IMocks
{
    public Func<MockResourceArgs, Task>? BeforeAnswer { get; set; }

    public Dictionary<string, object?> ExtraState { get; } = [];

    public async Task<(string? Id, object State)> NewResourceAsync(MockResourceArgs args)
    {
        if (BeforeAnswer is not null)
        {
            await BeforeAnswer(args);
        }

        var state = args.WireInputs.Clone();
        state.Fields["ipv4"] = Google.Protobuf.WellKnownTypes.Value.ForString("192.0.2.10");
        foreach (var (k, v) in ExtraState)
        {
            state.Fields[k] = v as Google.Protobuf.WellKnownTypes.Value ?? Google.Protobuf.WellKnownTypes.Value.ForString(v?.ToString() ?? "");
        }

        return (null, state);
    }

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(new Dictionary<string, object?>());
}

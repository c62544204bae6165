namespace Boma.Pulumi.Serialization;

/// <summary>Every string that has a meaning on the wire, in one place.</summary>
public static class Constants
{
    /// <summary>Stands in for a value that is not known yet (preview).</summary>
    public const string UnknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    /// <summary>Typed unknown sentinels the engine may emit (bool, number, array, asset, archive, object); read like <see cref="UnknownValue"/>.</summary>
    public static readonly IReadOnlySet<string> TypedUnknownValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    };

    /// <summary>The key whose value says which special object a Struct is.</summary>
    public const string SpecialSigKey = "4dabf18193072939515e22adb298388d";

    /// <summary>Signature of a secret wrapper (<c>value</c> holds the secret).</summary>
    public const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";

    /// <summary>Signature of a resource reference (<c>urn</c>, <c>id</c>, <c>packageVersion</c>).</summary>
    public const string ResourceSig = "5cf8f73096256a8f31e491e813e4eb8e";

    /// <summary>Signature of an output value (<c>value</c>, <c>secret</c>, <c>dependencies</c>).</summary>
    public const string OutputValueSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

    /// <summary>Signature of an asset.</summary>
    public const string AssetSig = "c44067f5952c0a294b673a41bacd8c17";

    /// <summary>Signature of an archive.</summary>
    public const string ArchiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";

    /// <summary>The payload key of secrets and output values.</summary>
    public const string ValueName = "value";

    /// <summary>Output value: whether it is secret.</summary>
    public const string SecretName = "secret";

    /// <summary>Output value: the URNs it depends on.</summary>
    public const string DependenciesName = "dependencies";

    /// <summary>Resource reference: the URN.</summary>
    public const string UrnPropertyName = "urn";

    /// <summary>Resource reference: the provider ID (custom resources).</summary>
    public const string IdPropertyName = "id";

    /// <summary>Resource reference: the provider package version.</summary>
    public const string PackageVersionName = "packageVersion";

    /// <summary>Asset payload: literal text.</summary>
    public const string AssetTextName = "text";

    /// <summary>Asset/archive payload: a local path.</summary>
    public const string AssetOrArchivePathName = "path";

    /// <summary>Asset/archive payload: a URI.</summary>
    public const string AssetOrArchiveUriName = "uri";

    /// <summary>Archive payload: the member map.</summary>
    public const string ArchiveAssetsName = "assets";

    /// <summary>Asset/archive: optional content hash.</summary>
    public const string AssetOrArchiveHashName = "hash";

    /// <summary>URN shape: <c>urn:pulumi:&lt;stack&gt;::&lt;project&gt;::&lt;qualifiedType&gt;::&lt;name&gt;</c>.</summary>
    public const string UrnPrefix = "urn:pulumi:";

    /// <summary>Separates the parts of a URN.</summary>
    public const string UrnSeparator = "::";

    /// <summary>Joins a parent's qualified type and a child's type in a URN.</summary>
    public const string UrnTypeDelimiter = "$";

    /// <summary>Infix of legacy config keys (<c>ns:config:key</c>), read as <c>ns:key</c>.</summary>
    public const string LegacyConfigInfix = ":config:";

    /// <summary>Type token of the root stack component.</summary>
    public const string StackType = "pulumi:pulumi:Stack";

    /// <summary>Type token of the engine's built-in stack reference resource.</summary>
    public const string StackReferenceType = "pulumi:pulumi:StackReference";

    /// <summary>Prefix of explicit provider resource types.</summary>
    public const string ProviderTypePrefix = "pulumi:providers:";

    /// <summary>Exit code meaning "the error was already reported; the host adds nothing".</summary>
    public const int ExitBail = 32;

    /// <summary>Gigantic message limit of both official SDKs (400 MiB).</summary>
    public const int MaxRpcMessageSize = 400 * 1024 * 1024;
}

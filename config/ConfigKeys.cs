namespace Boma.Infra.Config;

/// <summary>The stack config keys boma reads (all in the <c>boma</c> namespace) and their defaults.</summary>
internal static class ConfigKeys
{
    public const string Namespace = "boma";

    public const string Domain = "domain";
    public const string Location = "location";
    public const string Image = "image";
    public const string ServerType = "serverType";
    public const string HostName = "hostName";
    public const string AdminUser = "adminUser";
    public const string AdminPublicKey = "adminPublicKey";
    public const string BreakGlassCidrs = "breakGlassCidrs";
    public const string OffsiteServices = "offsiteServices";
    public const string CoordinatorService = "coordinatorService";
    public const string HomeServices = "homeServices";
    public const string DnsTtl = "dnsTtl";
    public const string Ipv6 = "ipv6";
    public const string Updates = "updates";

    // Secrets: set with `pulumi config set --secret`; each feeds one explicit provider or the SSH connection.
    public const string HcloudToken = "hcloudToken";
    public const string GandiToken = "gandiToken";
    public const string SshPrivateKey = "sshPrivateKey";

    public const string DefaultLocation = "hel1";
    public const string DefaultImage = "debian-13";
    public const string DefaultServerType = "cx23";
    public const string DefaultHostName = "askari";
    public const string DefaultCoordinatorService = "netbird";
    public const int DefaultDnsTtl = 300;

    public static readonly IReadOnlyList<string> DefaultOffsiteServices = ["netbird", "test"];

    /// <summary>Every secret key the offsite stack reads; the offline plan puts placeholders in for these.</summary>
    public static readonly IReadOnlyList<string> SecretKeys = [HcloudToken, GandiToken, SshPrivateKey, BackupConfigLoader.PasswordKey, BackupConfigLoader.SshKeyKey];

    /// <summary>How the offline plan marks a secret it cannot read; such values are never format-checked.</summary>
    public const string OfflinePlaceholderPrefix = "<offline-placeholder:";

    public static string Full(string key) => $"{Namespace}:{key}";
}

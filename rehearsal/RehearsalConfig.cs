using System.Security.Cryptography;
using System.Text.Json;
using Boma.Infra.Cli;
using Boma.Infra.Config;
using Boma.Pulumi;

namespace Boma.Infra.Rehearsal;

/// <summary>
/// The offsite config the rehearsal deploys with: Pulumi.offsite.yaml as the operator wrote it, with the values only
/// the lab can give replaced (docs/rehearsal.md lists each): the generated admin key pair, the operator's range as
/// boma:breakGlassCidrs, the storage box as the restic repository with askari's key for it and its host key, and
/// stand-in cloud tokens no cloud ever sees.
/// </summary>
internal sealed class RehearsalConfig : IConfigSource
{
    private RehearsalConfig(Dictionary<string, string> values, HashSet<string> secretKeys)
    {
        Values = values;
        SecretKeys = secretKeys;
    }

    /// <summary>Full keys (<c>boma:domain</c>) to raw values, structured ones as JSON text.</summary>
    public Dictionary<string, string> Values { get; }

    public HashSet<string> SecretKeys { get; }

    public string Domain => Get("domain") ?? "example.org";

    public string AdminUser => Get("adminUser") ?? "kim";

    public static RehearsalConfig Load(string stackFile, string adminPublicKey, string adminPrivateKey, string stateDir, string backupPrivateKey, string storageKnownHosts)
    {
        var file = StackConfigFile.Load(stackFile, Stacks.StackCatalogue.Find(Stacks.OffsiteStack.Name)!.SecretKeys);
        var values = new Dictionary<string, string>(file.Values, StringComparer.Ordinal);
        var secrets = new HashSet<string>(file.SecretKeys, StringComparer.Ordinal);
        void Plain(string key, string value) => values[ConfigKeys.Full(key)] = value;
        void Secret(string key, string value)
        {
            values[ConfigKeys.Full(key)] = value;
            secrets.Add(ConfigKeys.Full(key));
        }

        Plain("adminPublicKey", adminPublicKey.Trim());
        Plain("breakGlassCidrs", JsonSerializer.Serialize(Lab.OperatorCidrs));
        Secret(ConfigKeys.SshPrivateKey, adminPrivateKey);
        // No cloud is reached: the mocks answer for hcloud and gandi and never read these.
        Secret(ConfigKeys.HcloudToken, "rehearsal-hcloud-token-never-sent");
        Secret(ConfigKeys.GandiToken, "rehearsal-gandi-token-never-sent");
        Secret(BackupConfigLoader.PasswordKey, StablePassword(stateDir));
        var backup = values.TryGetValue(ConfigKeys.Full("backup"), out var json) && JsonNodeOrNull(json) is System.Text.Json.Nodes.JsonObject o ? o : [];
        backup["repository"] = Lab.StorageRepository;
        // The storage box's key pair and host key, as the operator sets them up before the first `pulumi up`.
        backup["knownHosts"] = storageKnownHosts;
        Secret(BackupConfigLoader.SshKeyKey, backupPrivateKey);
        Plain("backup", backup.ToJsonString());
        return new RehearsalConfig(values, secrets);
    }

    /// <summary>A config of the given full keys (<c>boma:domain</c>) and secret keys: the cluster rehearsal's.</summary>
    internal static RehearsalConfig FromValues(Dictionary<string, string> values, HashSet<string> secretKeys) => new(values, secretKeys);

    internal static System.Text.Json.Nodes.JsonNode? JsonNodeOrNull(string json)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The restic password: random once per lab state, kept 0600 beside the deploy state.</summary>
    private static string StablePassword(string stateDir)
    {
        var path = Path.Combine(stateDir, "keys", "backup-password");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return File.ReadAllText(path).Trim();
    }

    public string? Get(string key) => Values.GetValueOrDefault(ConfigKeys.Full(key));

    public bool IsSecret(string key) => SecretKeys.Contains(ConfigKeys.Full(key));

    public Output<string>? GetSecret(string key) => Get(key) is { } v ? Output.CreateSecret(v) : null;
}

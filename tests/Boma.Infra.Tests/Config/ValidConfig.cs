using Boma.Pulumi.Testing;

namespace Boma.Infra.Tests.Config;

/// <summary>A complete, valid offsite config (mirrors Pulumi.offsite.yaml), as config keys without the namespace.</summary>
internal static class ValidConfig
{
    // A real ed25519 public key generated for tests only; its private half is not kept anywhere.
    public const string PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo test@boma";

    public static Dictionary<string, string> Values() => new()
    {
        ["domain"] = "example.org",
        ["adminUser"] = "kim",
        ["adminPublicKey"] = PublicKey,
        ["breakGlassCidrs"] = "[\"203.0.113.7/32\",\"2001:db8:1234::/48\"]",
        ["homeServices"] = "[\"jellyfin\",{\"name\":\"photos\",\"public\":true}]",
        ["hcloudToken"] = "hcloud-test-token-value-0123456789",
        ["gandiToken"] = "gandi-test-pat-value-0123456789",
        ["netbird"] = "{\"ownerEmail\":\"admin@example.org\"}",
        ["backup"] = "{\"repository\":\"sftp://u1@backup.example.org:23//boma\",\"knownHosts\":\"" + StorageBoxKnownHosts + "\"}",
        ["backupPassword"] = "restic-test-password-value-0123456789",
        ["sshPrivateKey"] = "-----BEGIN OPENSSH PRIVATE KEY-----\ntest-private-key-body\n-----END OPENSSH PRIVATE KEY-----\n",
        ["backupSshKey"] = "-----BEGIN OPENSSH PRIVATE KEY-----\ntest-backup-key-body\n-----END OPENSSH PRIVATE KEY-----\n",
    };

    /// <summary>The storage box's host key as ssh-keyscan prints it for port 23 (a test key).</summary>
    public const string StorageBoxKnownHosts = "[backup.example.org]:23 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICR4Y4RYHE/2F9nbDARUdrjphls52l8lVB6xRCJcpiHo";

    /// <summary>A distinctive part of each secret value above: none may ever show up in plain text.</summary>
    public static readonly string[] SecretMarkers = ["hcloud-test-token-value", "gandi-test-pat-value", "test-private-key-body", "restic-test-password-value", "test-backup-key-body"];

    public static HashSet<string> SecretKeys() => ["hcloudToken", "gandiToken", "sshPrivateKey", "backupPassword", "backupSshKey"];

    /// <summary>Runs the offsite stack with this config (optionally edited) as the engine would hand it over.</summary>
    public static TestOptions Offsite(Action<Dictionary<string, string>>? edit = null, bool preview = false)
    {
        var values = Values();
        edit?.Invoke(values);
        return new TestOptions
        {
            ProjectName = "boma",
            StackName = "offsite",
            IsPreview = preview,
            Config = values.ToDictionary(p => "boma:" + p.Key, p => p.Value),
            SecretKeys = SecretKeys().Select(k => "boma:" + k).ToHashSet(),
        };
    }
}

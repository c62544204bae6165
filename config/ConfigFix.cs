namespace Boma.Infra.Config;

/// <summary>
/// The one way a fix hint names a config command: <c>pulumi config set -s offsite boma:domain example.org</c>,
/// <c>pulumi config set -s cluster --path 'boma:vms[0].name' mlinzi1</c>. Every loader and the schema gate build
/// their hints here, so both stacks name the stack (<c>-s</c>) and quote paths the same way; an operator with two
/// stacks in one project never sets a key in the wrong one. Paths are relative to the <c>boma</c> namespace.
/// </summary>
internal static class ConfigFix
{
    /// <summary><c>pulumi config set -s stack [--path] key example</c>; <c>--path</c> and quotes when the key has a '.' or '['.</summary>
    public static string Set(string stack, string path, string example) => $"pulumi config set -s {stack} {Target(path)} {example}";

    /// <summary><c>pulumi config set -s stack --secret key example</c>.</summary>
    public static string SetSecret(string stack, string key, string example) => $"pulumi config set -s {stack} --secret {Target(key)} {example}";

    /// <summary><c>pulumi config rm -s stack [--path] key</c>.</summary>
    public static string Rm(string stack, string path) => $"pulumi config rm -s {stack} {Target(path)}";

    /// <summary><c>pulumi config rm -s stack 'ns:key'</c> for a top-level key spelt exactly as in the stack file (never <c>--path</c>).</summary>
    public static string RmKey(string stack, string fullKey) => $"pulumi config rm -s {stack} {Quote(fullKey)}";

    /// <summary>The key as the command takes it: full, and with <c>--path</c> and shell quotes when it is a path.</summary>
    private static string Target(string path)
    {
        var full = path.Contains(':', StringComparison.Ordinal) ? path : ConfigKeys.Full(path);
        if (path.Contains('.', StringComparison.Ordinal) || path.Contains('[', StringComparison.Ordinal))
        {
            return $"--path '{Escape(full)}'";
        }

        return Quote(full);
    }

    // A key the schema refused may hold anything; quoted, it stays one shell word (a quote in it is shown escaped).
    private static string Quote(string key) => key.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '_' or '-') ? key : $"'{Escape(key)}'";

    private static string Escape(string key) => Addresses.Show(key).Replace("'", "\\x27", StringComparison.Ordinal);
}

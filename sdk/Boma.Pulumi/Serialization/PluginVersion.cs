using System.Text.RegularExpressions;

namespace Boma.Pulumi.Serialization;

/// <summary>
/// Checks a provider plugin version before it is sent: the engine parses it as strict semver and fails the
/// registration on anything else (a `v4.1.0` from a release tag is the usual slip).
/// </summary>
internal static partial class PluginVersion
{
    // The version last found valid: a program's resources mostly share a handful of versions, so most checks are one
    // string comparison instead of a regex match.
    private static string? _lastValid;

    public static void Validate(string? version, string owner) => Validate(version, owner, null);

    /// <summary>As above, the owner's description written as "<paramref name="owner"/> '<paramref name="name"/>' (<paramref name="type"/>)" only on failure.</summary>
    public static void Validate(string? version, string owner, string? name, string? type = null)
    {
        if (string.IsNullOrEmpty(version) || version == Volatile.Read(ref _lastValid))
        {
            return;
        }

        if (StrictSemver().IsMatch(version))
        {
            Volatile.Write(ref _lastValid, version);
            return;
        }

        if (name is not null)
        {
            owner = $"{owner} '{name}' ({type})";
        }

        var fix = version.Length > 1 && version[0] is 'v' or 'V' && StrictSemver().IsMatch(version[1..])
            ? $"write '{version[1..]}' (no leading 'v')"
            : "write it as MAJOR.MINOR.PATCH, e.g. '4.1.0'";
        throw new ResourceException($"{owner}: Version '{version}' is not a plain semver version, which the engine requires; {fix}.", null);
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex StrictSemver();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Boma.Infra.Config;

/// <summary>
/// A host's update policy beyond unattended security updates (docs/operations.md, "Updates"): the daily reboot
/// window in which the host reboots when an update needs it (<c>HH:MM</c>, host time, which is UTC on boma hosts),
/// or <c>off</c> (never automatically; boma-update-status says when a reboot is due).
/// </summary>
internal sealed partial record UpdatePolicy(string RebootWindow)
{
    /// <summary>Off-peak for a home and a small VPS: 04:00 UTC (05:00/06:00 in Central Europe).</summary>
    public const string DefaultWindow = "04:00";

    public const string Off = "off";

    /// <summary>How long a window lasts: a host may be down from its start for up to this long.</summary>
    public const int WindowMinutes = 60;

    public static readonly UpdatePolicy Default = new(DefaultWindow);

    public bool AutomaticReboot => RebootWindow != Off;

    /// <summary>Null when <paramref name="value"/> is a window (<c>HH:MM</c> or <c>off</c>), else the problem.</summary>
    public static string? Check(string value) =>
        value == Off || WindowRegex().IsMatch(value)
            ? null
            : $"'{value}' is not a reboot window: give the start as HH:MM (24-hour, host time = UTC, e.g. {DefaultWindow}) or off";

    /// <summary>Minutes after midnight of a window's start.</summary>
    public static int Minutes(string window) =>
        int.Parse(window[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(window[3..], CultureInfo.InvariantCulture);

    /// <summary>The window <paramref name="minutes"/> after <paramref name="window"/>, wrapping at midnight.</summary>
    public static string Shift(string window, int minutes)
    {
        var total = ((Minutes(window) + minutes) % (24 * 60) + 24 * 60) % (24 * 60);
        return $"{total / 60:D2}:{total % 60:D2}";
    }

    /// <summary>Whether two windows (neither off) overlap: their starts are less than a window apart, around the clock.</summary>
    public static bool Overlap(string a, string b)
    {
        var d = Math.Abs(Minutes(a) - Minutes(b));
        return Math.Min(d, 24 * 60 - d) < WindowMinutes;
    }

    /// <summary>
    /// Reads <c>boma:updates</c> (an object with <c>rebootWindow</c>; absent: the default) of <paramref name="stack"/>.
    /// Problems go to <paramref name="errors"/>, each naming the key and the fix.
    /// </summary>
    public static UpdatePolicy Parse(string? raw, string stack, List<ConfigError> errors, IConfigSource? source = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        const string Key = "updates";
        source?.Touched($"{Key}.rebootWindow");
        if (raw is null)
        {
            return Default;
        }

        JsonObject? obj = null;
        try
        {
            obj = JsonNode.Parse(raw) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (obj is null)
        {
            errors.Add(new ConfigError(ConfigKeys.Full(Key), "is not an object",
                $"write it as a YAML mapping, e.g. {ConfigFix.Set(stack, $"{Key}.rebootWindow", DefaultWindow)}"));
            return Default;
        }

        var window = ReadWindow(obj["rebootWindow"], $"{Key}.rebootWindow", stack, errors);
        return window is null ? Default : new UpdatePolicy(window);
    }

    /// <summary>Reads one window value at <paramref name="path"/>; null when absent or bad (bad ones are reported).</summary>
    public static string? ReadWindow(JsonNode? node, string path, string stack, List<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (node is null)
        {
            return null;
        }

        var fix = ConfigFix.Set(stack, path, DefaultWindow) + " (or off)";
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            // YAML reads an unquoted 04:00 as a string, but a bare number (400) or a list is not a window.
            errors.Add(new ConfigError(ConfigKeys.Full(path), $"{node.ToJsonString()} is not a reboot window (HH:MM or off, as a string)", fix));
            return null;
        }

        var value = text.Trim();
        if (Check(value) is { } problem)
        {
            errors.Add(new ConfigError(ConfigKeys.Full(path), problem, fix));
            return null;
        }

        return value;
    }

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex WindowRegex();
}

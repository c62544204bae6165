using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Boma.Pulumi;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>One resource as the engine's state would hold it: inputs (secrets included) and outputs.</summary>
internal sealed class StateRecord
{
    public required string Urn { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public required JsonObject Inputs { get; set; }

    public JsonObject Outputs { get; set; } = [];

    public List<string> Dependencies { get; set; } = [];
}

/// <summary>
/// The rehearsal's stand-in for the engine's state file: random values (so a second run gets the same ones, as the
/// engine's state gives them) and every completed command step. It holds secrets, as a state file does, so it is
/// written 0600 inside a 0700 directory and never printed.
/// </summary>
internal sealed class DeployState
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public Dictionary<string, StateRecord> Resources { get; set; } = new(StringComparer.Ordinal);

    public static string PathIn(string directory) => Path.Combine(directory, "state.json");

    public static DeployState Load(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path))
        {
            return new DeployState();
        }

        return JsonSerializer.Deserialize<DeployState>(File.ReadAllText(path), JsonOptions)
            ?? throw new InvalidDataException($"{path} is not a rehearsal state file; delete it to start from a fresh machine.");
    }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = PathIn(directory);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this, JsonOptions);
        }

        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>Plain program values to and from the JSON the state keeps; assets become their content hash for diffs.</summary>
internal static class StateJson
{
    public const string AssetKey = "$asset";

    public static JsonObject FromPlain(IReadOnlyDictionary<string, object?> values)
    {
        var o = new JsonObject();
        foreach (var (key, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            o[key] = Node(value);
        }

        return o;
    }

    public static JsonNode? Node(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        int i => JsonValue.Create((double)i),
        long l => JsonValue.Create((double)l),
        StringAsset a => new JsonObject { [AssetKey] = "text", ["text"] = a.Text, ["hash"] = Hash(System.Text.Encoding.UTF8.GetBytes(a.Text)) },
        FileAsset f => new JsonObject { [AssetKey] = "file", ["path"] = f.Path, ["hash"] = File.Exists(f.Path) ? Hash(File.ReadAllBytes(f.Path)) : "missing" },
        FileArchive d => new JsonObject { [AssetKey] = "archive", ["path"] = d.Path, ["hash"] = ArchiveHash(d.Path) },
        AssetOrArchive other => throw new NotSupportedException($"{other.GetType().Name} is not a source the command provider accepts (FileAsset, StringAsset or FileArchive)"),
        IReadOnlyDictionary<string, object?> map => FromPlain(map),
        IDictionary<string, object?> map => FromPlain(map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)),
        System.Collections.IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(Node)]),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    public static string? String(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Resolved JSON back to the plain shapes <see cref="RemoteConnection.From"/> reads.</summary>
    public static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal) as IReadOnlyDictionary<string, object?>,
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string ArchiveHash(string path)
    {
        if (!Directory.Exists(path))
        {
            return File.Exists(path) ? Hash(File.ReadAllBytes(path)) : "missing";
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file) + "\0"));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

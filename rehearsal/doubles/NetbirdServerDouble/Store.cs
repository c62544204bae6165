using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// The double's state: JSON rows in a SQLite store.db in the data dir, where the real server keeps its store
/// (so the backup's sqlite3 ".backup" and the restore drill work on it). Loaded at start, written on every change.
/// </summary>
internal sealed class Store : IDisposable
{
    public static readonly string[] Tables = ["accounts", "users", "personal_access_tokens", "groups", "policies", "setup_keys", "peers"];

    private readonly SqliteConnection _db;
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _rows = [];

    public Store(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        Path = System.IO.Path.Combine(dataDir, "store.db");
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        _db.Open();
        Exec("PRAGMA journal_mode=WAL;");
        foreach (var table in Tables)
        {
            Exec($"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, account_id TEXT, data TEXT NOT NULL);");
            var rows = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            using var cmd = _db.CreateCommand();
            cmd.CommandText = $"SELECT id, data FROM {table} ORDER BY rowid;";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                rows[reader.GetString(0)] = (JsonObject)JsonNode.Parse(reader.GetString(1))!;
            }

            _rows[table] = rows;
        }
    }

    public string Path { get; }

    /// <summary>A lock for read-modify-write sequences (one request at a time, as one account's transactions are).</summary>
    public object Gate { get; } = new();

    public IEnumerable<JsonObject> All(string table) => _rows[table].Values;

    public JsonObject? Find(string table, string id) => _rows[table].GetValueOrDefault(id);

    public void Put(string table, JsonObject row)
    {
        var id = row["id"]!.GetValue<string>();
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"INSERT INTO {table} (id, account_id, data) VALUES ($id, $account, $data) ON CONFLICT(id) DO UPDATE SET account_id = $account, data = $data;";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$account", (object?)row["account_id"]?.GetValue<string>() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$data", row.ToJsonString());
        cmd.ExecuteNonQuery();
        _rows[table][id] = row;
    }

    public void Delete(string table, string id)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = $"DELETE FROM {table} WHERE id = $id;";
        cmd.Parameters.AddWithValue("$id", id);
        cmd.ExecuteNonQuery();
        _rows[table].Remove(id);
    }

    public void Dispose() => _db.Dispose();

    private void Exec(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}

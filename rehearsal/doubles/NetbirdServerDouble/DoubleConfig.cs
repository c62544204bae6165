using YamlDotNet.RepresentationModel;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// The keys of the combined server's config.yaml (as hosts/netbird/render-config.sh renders it) that the double uses.
/// Upstream reads the same file (combined/cmd/config.go); a missing key is refused by name.
/// </summary>
internal sealed record DoubleConfig(int ListenPort, int HealthPort, string ExposedAddress, string DataDir, string StoreEngine)
{
    public static DoubleConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"config file {path} not found (pass --config PATH)");
        }

        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("server"), out var serverNode) || serverNode is not YamlMappingNode server)
        {
            throw new ConfigException($"{path}: no 'server' section");
        }

        string Get(string key)
        {
            if (server.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            throw new ConfigException($"{path}: server.{key} is missing");
        }

        string? Optional(string key) =>
            server.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;

        var secret = Get("authSecret");
        if (secret.Contains("@@", StringComparison.Ordinal))
        {
            throw new ConfigException($"{path}: server.authSecret still holds a template marker; render it with hosts/netbird/render-config.sh");
        }

        var engine = "sqlite";
        if (server.Children.TryGetValue(new YamlScalarNode("store"), out var storeNode) && storeNode is YamlMappingNode store
            && store.Children.TryGetValue(new YamlScalarNode("engine"), out var e) && e is YamlScalarNode { Value: { } engineValue })
        {
            engine = engineValue;
        }

        if (engine != "sqlite")
        {
            throw new ConfigException($"{path}: server.store.engine {engine}: the double stores only sqlite (store.db)");
        }

        return new DoubleConfig(Port(Get("listenAddress"), "listenAddress"), Port(Optional("healthcheckAddress") ?? ":9000", "healthcheckAddress"),
            Get("exposedAddress"), Get("dataDir"), engine);

        int Port(string address, string key)
        {
            var colon = address.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(address[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                throw new ConfigException($"{path}: server.{key} '{address}' is not [host]:port");
            }

            return port;
        }
    }
}

internal sealed class ConfigException(string message) : Exception(message);

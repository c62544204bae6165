using System.Text.Json.Nodes;
using Boma.Pulumi.Serialization;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>
/// Every secret value the run has seen (secret inputs on the wire, secret command outputs, secret config), so
/// anything printed — stderr tails, log lines, changed lines, outputs — shows <c>[secret]</c> instead.
/// </summary>
internal sealed class SecretMasker
{
    public const string Mask = "[secret]";
    private readonly Lock _lock = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _public = new(StringComparer.Ordinal);

    /// <summary>A value the program also sends in plain text (an address inside the secret connection) is no secret.</summary>
    public void AddPublic(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            lock (_lock)
            {
                _public.Add(value);
            }
        }
    }

    public void Add(string? secret, bool splitLines = true)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        lock (_lock)
        {
            // Short values (a port, "true") would mask half the report; secrets here are keys, tokens and passwords.
            if (secret.Length >= 6)
            {
                _secrets.Add(secret);
            }

            // A multi-line secret (a private key) can show up one line at a time.
            foreach (var line in splitLines ? secret.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [])
            {
                if (line.Length >= 12 && !line.StartsWith("-----", StringComparison.Ordinal))
                {
                    _secrets.Add(line);
                }
            }
        }
    }

    /// <summary>Adds every string under a secret wrapper in wire-form JSON.</summary>
    public void AddWire(JsonNode? node, bool insideSecret = false)
    {
        switch (node)
        {
            case JsonObject o:
                var isSecret = insideSecret || (o[Constants.SpecialSigKey]?.GetValue<string>() == Constants.SecretSig);
                foreach (var (_, value) in o)
                {
                    AddWire(value, isSecret);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    AddWire(item, insideSecret);
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && s != Constants.SecretSig:
                if (insideSecret)
                {
                    Add(s);
                }
                else
                {
                    AddPublic(s);
                }

                break;
            default:
                break;
        }
    }

    public static bool HasSecret(JsonNode? node) => node switch
    {
        JsonObject o => o[Constants.SpecialSigKey]?.GetValue<string>() == Constants.SecretSig || o.Any(p => HasSecret(p.Value)),
        JsonArray a => a.Any(HasSecret),
        _ => false,
    };

    public string Apply(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        string[] secrets;
        lock (_lock)
        {
            secrets = [.. _secrets.Where(s => !_public.Contains(s)).OrderByDescending(s => s.Length)];
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}

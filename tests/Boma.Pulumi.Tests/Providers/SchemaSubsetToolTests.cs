using System.Diagnostics;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Boma.Pulumi.Tests.Providers;

/// <summary>
/// The documented regeneration command (node tools/schema-subset/subset.mjs) really works. The full
/// provider schemas are not in the repo, so each committed subset is turned back into a minimal
/// schema in Pulumi's package-schema shape; the tool must derive exactly the committed subset from
/// it (apart from the source file name and hash, which name the schema it was read from).
/// </summary>
[TestFixture]
public sealed class SchemaSubsetToolTests
{
    private static IEnumerable<string> Packages() => ["hcloud", "command", "random", "gandi", "proxmoxve"];

    [TestCaseSource(nameof(Packages))]
    public void The_regeneration_command_derives_the_committed_subset(string package)
    {
        var committedPath = Directory.GetFiles(SchemaSubset.Directory, $"{package}-*.json").Single();
        var committed = JsonNode.Parse(File.ReadAllText(committedPath))!.AsObject();
        var version = (string)committed["version"]!;

        var temp = Directory.CreateTempSubdirectory("boma-subset-");
        try
        {
            var schemaPath = Path.Combine(temp.FullName, $"{package}-full.json");
            var outPath = Path.Combine(temp.FullName, $"{package}-{version}.json");
            File.WriteAllText(schemaPath, ToFullSchema(package, committed).ToJsonString());

            var (exitCode, output) = Node(["tools/schema-subset/subset.mjs", schemaPath, version, "--out", outPath]);
            Assert.That(exitCode, Is.Zero, output);

            var derived = JsonNode.Parse(File.ReadAllText(outPath))!.AsObject();
            Assert.That((string?)derived["source"]!["file"], Is.EqualTo($"{package}-full.json"));
            derived.Remove("source");
            committed.Remove("source");
            Assert.That(JsonNode.DeepEquals(derived, committed), Is.True, $"{package}: the tool's output differs from {committedPath}\n{derived}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Test]
    public void A_schema_missing_a_listed_resource_is_refused_with_the_token_named()
    {
        var temp = Directory.CreateTempSubdirectory("boma-subset-");
        try
        {
            var schemaPath = Path.Combine(temp.FullName, "random-full.json");
            File.WriteAllText(schemaPath, new JsonObject { ["name"] = "random", ["resources"] = new JsonObject(), ["types"] = new JsonObject() }.ToJsonString());

            var (exitCode, output) = Node(["tools/schema-subset/subset.mjs", schemaPath, "4.21.1", "--out", Path.Combine(temp.FullName, "out.json")]);
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(output, Does.Contain("random:index/randomPassword:RandomPassword"));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static JsonObject ToFullSchema(string package, JsonObject subset)
    {
        var resources = new JsonObject();
        foreach (var (token, resource) in subset["resources"]!.AsObject())
        {
            resources[token] = Object(resource!["inputs"]!.AsObject(), "inputProperties", "requiredInputs", resource["outputs"]!.AsObject());
        }

        var types = new JsonObject();
        foreach (var (token, type) in subset["types"]!.AsObject())
        {
            if (type!["enum"] is { } enumType)
            {
                types[token] = new JsonObject
                {
                    ["type"] = (string)enumType!,
                    ["enum"] = new JsonArray(type["values"]!.AsArray().Select(v => (JsonNode)new JsonObject { ["value"] = v!.DeepClone() }).ToArray()),
                };
            }
            else
            {
                var shape = Object(type["properties"]!.AsObject(), "properties", "required", null);
                shape["type"] = "object";
                types[token] = shape;
            }
        }

        var provider = subset["provider"]!.AsObject();
        return new JsonObject
        {
            ["name"] = package,
            ["provider"] = Object(provider["inputs"]!.AsObject(), "inputProperties", "requiredInputs", provider["outputs"]!.AsObject()),
            ["resources"] = resources,
            ["types"] = types,
        };
    }

    /// <summary>Input (or object-type) properties under <paramref name="propertiesKey"/>, outputs under properties/required.</summary>
    private static JsonObject Object(JsonObject inputs, string propertiesKey, string requiredKey, JsonObject? outputs)
    {
        var result = new JsonObject
        {
            [propertiesKey] = Properties(inputs),
            [requiredKey] = Required(inputs),
        };
        if (outputs is not null)
        {
            result["properties"] = Properties(outputs);
            result["required"] = Required(outputs);
        }

        return result;
    }

    private static JsonArray Required(JsonObject properties) =>
        new(properties.Where(p => (bool?)p.Value!["required"] == true).Select(p => (JsonNode)JsonValue.Create(p.Key)).ToArray());

    private static JsonObject Properties(JsonObject properties)
    {
        var result = new JsonObject();
        foreach (var (name, property) in properties)
        {
            var schema = TypeSchema((string)property!["type"]!);
            if ((bool?)property["secret"] == true)
            {
                schema["secret"] = true;
            }

            if ((bool?)property["replaceOnChanges"] == true)
            {
                schema["replaceOnChanges"] = true;
            }

            if (property["default"] is { } value)
            {
                schema["default"] = value.DeepClone();
            }

            if (property["defaultEnv"] is { } environment)
            {
                schema["defaultInfo"] = new JsonObject { ["environment"] = environment.DeepClone() };
            }

            result[name] = schema;
        }

        return result;
    }

    /// <summary>The compact notation (string, array&lt;T&gt;, map&lt;T&gt;, ref:token, asset…) back to schema JSON.</summary>
    private static JsonObject TypeSchema(string type)
    {
        if (type.StartsWith("array<", StringComparison.Ordinal))
        {
            return new JsonObject { ["type"] = "array", ["items"] = TypeSchema(type[6..^1]) };
        }

        if (type.StartsWith("map<", StringComparison.Ordinal))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = TypeSchema(type[4..^1]) };
        }

        if (type.StartsWith("ref:", StringComparison.Ordinal))
        {
            return new JsonObject { ["$ref"] = "#/types/" + Uri.EscapeDataString(type[4..]) };
        }

        return type switch
        {
            "any" => new JsonObject { ["$ref"] = "pulumi.json#/Any" },
            "asset" => new JsonObject { ["$ref"] = "pulumi.json#/Asset" },
            "archive" => new JsonObject { ["$ref"] = "pulumi.json#/Archive" },
            "json" => new JsonObject { ["$ref"] = "pulumi.json#/Json" },
            "string" or "integer" or "number" or "boolean" => new JsonObject { ["type"] = type },
            _ => throw new InvalidOperationException($"unknown subset type {type}"),
        };
    }

    private static (int ExitCode, string Output) Node(string[] arguments)
    {
        var root = Path.GetFullPath(Path.Combine(SchemaSubset.Directory, "..", "..", "..", ".."));
        var start = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEnd();
        node.WaitForExit();
        return (node.ExitCode, stdout.Result + stderr);
    }
}

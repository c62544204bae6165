using NUnit.Framework;
using Boma.Infra.Hosts;

namespace Boma.Infra.Tests.HostFiles;

/// <summary>The renderer's strictness, on small templates written to a temporary root.</summary>
[TestFixture]
public sealed class HostTemplatesTests
{
    private static readonly string[] PortOnly = ["port"];
    private static readonly string[] NftablesParameters = ["mesh_interface", "public_sources", "public_tcp_ports", "public_udp_ports", "ssh_wan_sources"];

    private string root = string.Empty;

    [SetUp]
    public void SetUp() => root = Directory.CreateTempSubdirectory("boma-tmpl-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private const string Greeting = "# @param name `[a-z]+` who to greet\nhello {{ name }} and {{name}}\n";

    [Test]
    public void Renders_declared_placeholders_and_drops_declaration_lines()
    {
        Write("a.tmpl", Greeting);
        var text = HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "askari" });
        Assert.That(text, Is.EqualTo("hello askari and askari\n"));
    }

    [Test]
    public void Undeclared_placeholder_is_a_template_error()
    {
        Write("a.tmpl", Greeting + "port {{ port }}\n");
        var ex = Assert.Throws<InvalidOperationException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "x" }));
        Assert.That(ex!.Message, Does.Contain("{{ port }} is not declared").And.Contain("a.tmpl"));
    }

    [Test]
    public void Declared_but_unused_parameter_is_a_template_error()
    {
        Write("a.tmpl", Greeting + "# @param port `[0-9]+` a port\n");
        var ex = Assert.Throws<InvalidOperationException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "x", ["port"] = "1" }));
        Assert.That(ex!.Message, Does.Contain("'port' is declared but never used"));
    }

    [Test]
    public void Missing_value_names_the_parameter()
    {
        Write("a.tmpl", Greeting);
        var ex = Assert.Throws<ArgumentException>(() => HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string>()));
        Assert.That(ex!.Message, Does.Contain("no value for parameter 'name' (who to greet)"));
    }

    [Test]
    public void Unused_value_is_rejected()
    {
        Write("a.tmpl", Greeting);
        var ex = Assert.Throws<ArgumentException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "x", ["nmae"] = "typo" }));
        Assert.That(ex!.Message, Does.Contain("value 'nmae' is not a parameter").And.Contain("it takes: name"));
    }

    [Test]
    public void Value_not_matching_its_pattern_is_rejected_without_echoing_it()
    {
        Write("a.tmpl", Greeting);
        var ex = Assert.Throws<ArgumentException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "x'; rm -rf /" }));
        Assert.That(ex!.Message, Does.Contain("does not match `[a-z]+`").And.Not.Contain("rm -rf"));
    }

    [Test]
    public void Pattern_must_match_the_whole_value()
    {
        Write("a.tmpl", Greeting);
        Assert.Throws<ArgumentException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "abc\n" }));
        Assert.Throws<ArgumentException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "abc1" }));
    }

    [Test]
    public void Multi_line_value_is_rejected_even_if_the_pattern_allows_it()
    {
        Write("a.tmpl", "# @param text `(?s).*` anything\n{{ text }}\n");
        var ex = Assert.Throws<ArgumentException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["text"] = "a\nb" }));
        Assert.That(ex!.Message, Does.Contain("line break"));
    }

    [Test]
    public void Values_are_substituted_once_never_re_expanded()
    {
        Write("a.tmpl", "# @param text `.*` anything\n# @param other `.*` more\n{{ text }} {{ other }}\n");
        var text = HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["text"] = "{{ other }}", ["other"] = "o" });
        Assert.That(text, Is.EqualTo("{{ other }} o\n"));
    }

    [TestCase("{{ Name }}")]
    [TestCase("{{ name")]
    [TestCase("{{ file:x/../y }}")]
    public void Malformed_placeholders_are_template_errors(string line)
    {
        Write("a.tmpl", "# @param name `.*` n\n{{ name }}\n" + line + "\n");
        Assert.Throws<InvalidOperationException>(() =>
            HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "x" }));
    }

    [Test]
    public void Inlined_file_brings_its_parameters_and_loses_its_final_newline()
    {
        Write("inc/body.conf", "# @param port `[0-9]+` a port\nport {{ port }}\n");
        Write("s.sh.tmpl", "cat <<'BOMA_EOF'\n{{ file:inc/body.conf }}\nBOMA_EOF\n");
        Assert.That(HostTemplates.ParameterNames(root, "s.sh.tmpl"), Is.EqualTo(PortOnly));
        var text = HostTemplates.Render(root, "s.sh.tmpl", new Dictionary<string, string> { ["port"] = "22" });
        Assert.That(text, Is.EqualTo("cat <<'BOMA_EOF'\nport 22\nBOMA_EOF\n"));
    }

    [Test]
    public void Inlined_file_may_not_contain_the_heredoc_delimiter_or_inline_again()
    {
        Write("inc/bad.conf", "x\nBOMA_EOF\ny\n");
        Write("inc/nested.conf", "{{ file:inc/bad.conf }}\n");
        Write("a.tmpl", "{{ file:inc/bad.conf }}\n");
        Write("b.tmpl", "{{ file:inc/nested.conf }}\n");
        var empty = new Dictionary<string, string>();
        Assert.That(() => HostTemplates.Render(root, "a.tmpl", empty), Throws.InvalidOperationException.With.Message.Contain("BOMA_EOF"));
        Assert.That(() => HostTemplates.Render(root, "b.tmpl", empty), Throws.InvalidOperationException.With.Message.Contain("cannot inline"));
    }

    [Test]
    public void Missing_template_and_escaping_paths_are_rejected()
    {
        var empty = new Dictionary<string, string>();
        Assert.That(() => HostTemplates.Render(root, "nope.tmpl", empty), Throws.TypeOf<FileNotFoundException>().With.Message.Contain("hosts/nope.tmpl"));
        Assert.That(() => HostTemplates.Render(root, "../etc/passwd", empty), Throws.ArgumentException);
        Assert.That(() => HostTemplates.Render(root, "/etc/passwd", empty), Throws.ArgumentException);
    }

    [Test]
    public void Sha256_is_stable_and_changes_with_the_rendered_text()
    {
        Write("a.tmpl", Greeting);
        var one = HostTemplates.Sha256(HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "one" }));
        var again = HostTemplates.Sha256(HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "one" }));
        var two = HostTemplates.Sha256(HostTemplates.Render(root, "a.tmpl", new Dictionary<string, string> { ["name"] = "two" }));
        Assert.That(one, Is.EqualTo(again).And.Not.EqualTo(two).And.Match("^[0-9a-f]{64}$"));
        Assert.That(HostTemplates.Sha256("abc"), Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    [Test]
    public void Shipped_templates_are_found_next_to_the_program()
    {
        Assert.That(HostTemplates.Root, Does.StartWith(AppContext.BaseDirectory));
        Assert.That(HostTemplates.ParameterNames("bootstrap/nftables.sh.tmpl"),
            Is.EqualTo(NftablesParameters));
    }
}

/// <summary>The stdin preamble that carries secrets into a script: bash must read every value back unchanged.</summary>
[TestFixture]
public sealed class ExportPreambleTests
{
    [Test]
    public void Bash_reads_back_every_value_exactly()
    {
        var values = new Dictionary<string, string>
        {
            ["PLAIN"] = "abc",
            ["QUOTES"] = "it's \"quoted\" ''",
            ["SHELL"] = "$HOME `id` $(id) \\n & ; | * ~",
            ["EMPTY"] = string.Empty,
        };
        var script = HostTemplates.ExportPreamble(values) + "for n in EMPTY PLAIN QUOTES SHELL; do printf '%s=[%s]\\n' \"$n\" \"${!n}\"; done\n";
        var run = HostTool.Run(HostTool.Require("bash", "bash"), ["-s"], stdin: script);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Is.EqualTo(string.Concat(values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}=[{v.Value}]\n"))));
    }

    [TestCase("lower")]
    [TestCase("1ST")]
    [TestCase("A B")]
    public void Bad_names_are_rejected(string name) =>
        Assert.That(() => HostTemplates.ExportPreamble(new Dictionary<string, string> { [name] = "x" }), Throws.ArgumentException);

    [Test]
    public void Multi_line_values_are_rejected_without_echoing_them() =>
        Assert.That(() => HostTemplates.ExportPreamble(new Dictionary<string, string> { ["SECRET"] = "top\nsecret" }),
            Throws.ArgumentException.With.Message.Contain("SECRET").And.Message.Not.Contain("top"));
}

/// <summary>bootstrap/lib.sh's `tool`: under "bash -s" a tool must not eat the script, yet a deliberate pipe reaches it.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ToolStdinTests
{
    [Test]
    public void A_tool_never_reads_the_script_but_reads_a_pipe_given_to_it()
    {
        var root = Directory.CreateTempSubdirectory("boma-stdin-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "bootstrap"));
            Directory.CreateDirectory(Path.Combine(root, "bin"));
            Directory.CreateDirectory(Path.Combine(root, "sandbox"));
            File.Copy(Path.Combine(HostTemplates.Root, "bootstrap", "lib.sh"), Path.Combine(root, "bootstrap", "lib.sh"));

            // A stub tool that prints whatever it reads on stdin, like apt or gpg would consume it.
            var reader = Path.Combine(root, "bin", "reader");
            File.WriteAllText(reader, "#!/bin/sh\nprintf 'read[%s]\\n' \"$(cat)\"\n");
            File.SetUnixFileMode(reader, (UnixFileMode)0b111_101_101);

            File.WriteAllText(Path.Combine(root, "t.sh.tmpl"),
                "set -euo pipefail\n{{ file:bootstrap/lib.sh }}\nprintf 'data' | tool reader\ntool reader\necho after\n");
            var script = HostTemplates.Render(root, "t.sh.tmpl", new Dictionary<string, string>());
            var env = new Dictionary<string, string> { ["BOMA_ROOT"] = Path.Combine(root, "sandbox"), ["BOMA_STUB_BIN"] = Path.Combine(root, "bin") };

            var run = HostTool.Run(HostTool.Require("bash", "bash"), ["-s"], env, stdin: script);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Is.EqualTo("read[data]\nread[]\nafter\n"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

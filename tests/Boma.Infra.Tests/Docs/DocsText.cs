using System.Text;

namespace Boma.Infra.Tests.Docs;

/// <summary>One line of a shell code block in the docs (continuation lines joined), with where it came from.</summary>
internal sealed record ShellLine(string File, int Line, string Text, string Info)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>A line of prose (outside code blocks) in the docs.</summary>
internal sealed record ProseLine(string File, int Line, string Text);

/// <summary>Reads README.md and docs/**/*.md: shell lines of fenced blocks and prose lines.</summary>
internal sealed class DocsText
{
    private DocsText(string root, List<(string Rel, string[] Lines)> files)
    {
        Root = root;
        Files = files;
    }

    public string Root { get; }

    /// <summary>Repository-relative path (with '/') and lines of every documentation file.</summary>
    public List<(string Rel, string[] Lines)> Files { get; }

    public static DocsText Load(string root)
    {
        var paths = new List<string> { Path.Combine(root, "README.md") };
        paths.AddRange(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        var files = paths
            .Select(p => (Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllLines(p)))
            .ToList();
        return new DocsText(root, files);
    }

    /// <summary>
    /// Lines of fenced blocks whose info string is a shell (sh, bash, shell) or empty — offsite.md and cluster.md
    /// show commands in bare fences — with backslash continuations joined.
    /// </summary>
    public IEnumerable<ShellLine> ShellLines()
    {
        foreach (var (rel, lines) in Files)
        {
            string? info = null;
            var pending = new StringBuilder();
            var start = 0;
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].Trim();
                if (trimmed.StartsWith("```", StringComparison.Ordinal))
                {
                    info = info is null ? trimmed[3..].Trim() : null;
                    continue;
                }

                if (info is not ("" or "sh" or "bash" or "shell"))
                {
                    continue;
                }

                if (pending.Length == 0)
                {
                    start = i + 1;
                }

                var text = lines[i].TrimEnd();
                if (text.EndsWith('\\'))
                {
                    pending.Append(text[..^1].Trim()).Append(' ');
                    continue;
                }

                pending.Append(text.Trim());
                yield return new ShellLine(rel, start, pending.ToString(), info);
                pending.Clear();
            }
        }
    }

    /// <summary>Lines outside fenced blocks.</summary>
    public IEnumerable<ProseLine> ProseLines()
    {
        foreach (var (rel, lines) in Files)
        {
            var inFence = false;
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inFence = !inFence;
                    continue;
                }

                if (!inFence)
                {
                    yield return new ProseLine(rel, i + 1, lines[i]);
                }
            }
        }
    }

    /// <summary>Every line of every file, fenced or not.</summary>
    public IEnumerable<ProseLine> AllLines() =>
        Files.SelectMany(f => f.Lines.Select((text, i) => new ProseLine(f.Rel, i + 1, text)));

    /// <summary>Splits a shell line into the command and its trailing comment (a '#' after whitespace, outside quotes).</summary>
    public static (string Command, string Comment) SplitComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return (line[..i].Trim(), line[(i + 1)..].Trim());
            }
        }

        return (line.Trim(), "");
    }

    /// <summary>Splits a command into words, honouring single and double quotes (no expansion).</summary>
    public static List<string> Words(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new FormatException($"unbalanced {quote} quote in: {command}");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}

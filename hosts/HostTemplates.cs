using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Boma.Infra.Hosts;

/// <summary>
/// Renders the host files kept under <c>hosts/</c> (shipped next to the program).
/// A template declares each parameter in a comment line <c># @param name `regex` description</c>
/// (the line is dropped from the output), uses it as <c>{{ name }}</c>, and may inline another
/// host file with <c>{{ file:relative/path }}</c>. Rendering is strict: a placeholder that is not
/// declared, a declared one that is not used, a missing or extra value, or a value that does not
/// match its declared pattern is an error — nothing is ever rendered blank. See hosts/README.md.
/// </summary>
public static partial class HostTemplates
{
    /// <summary>Heredoc delimiter the scripts use around inlined files; an inlined file must not contain it as a line.</summary>
    public const string HeredocDelimiter = "BOMA_EOF";

    /// <summary>Directory the templates are read from: <c>&lt;program dir&gt;/hosts</c>.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "hosts");

    /// <summary>
    /// Renders the template at <paramref name="relativePath"/> (relative to <see cref="Root"/>, '/' separated)
    /// with exactly the declared parameters as <paramref name="values"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A value is missing, unexpected, multi-line or does not match its pattern.</exception>
    /// <exception cref="InvalidOperationException">The template itself is broken (undeclared/unused placeholder, bad include).</exception>
    public static string Render(string relativePath, IReadOnlyDictionary<string, string> values) =>
        Render(Root, relativePath, values);

    /// <summary>Same as <see cref="Render(string, IReadOnlyDictionary{string, string})"/> with another template root (tests).</summary>
    internal static string Render(string root, string relativePath, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parsed = Parse(root, relativePath, allowIncludes: true);
        var text = IncludeRegex().Replace(parsed.Body, m => Inline(root, relativePath, m.Groups[1].Value, parsed.Parameters));

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in TokenRegex().Matches(text))
        {
            var name = PlaceholderName(relativePath, m);
            if (!parsed.Parameters.ContainsKey(name))
            {
                throw new InvalidOperationException(
                    $"hosts/{relativePath}: placeholder {{{{ {name} }}}} is not declared; add '# @param {name} `<regex>` <description>' to the template.");
            }
            used.Add(name);
        }

        foreach (var declared in parsed.Parameters.Keys.Where(k => !used.Contains(k)))
        {
            throw new InvalidOperationException(
                $"hosts/{relativePath}: parameter '{declared}' is declared but never used; remove its '@param' line or use {{{{ {declared} }}}}.");
        }

        foreach (var key in values.Keys.Where(k => !parsed.Parameters.ContainsKey(k)))
        {
            throw new ArgumentException(
                $"hosts/{relativePath}: value '{key}' is not a parameter of this template (it takes: {string.Join(", ", parsed.Parameters.Keys.Order(StringComparer.Ordinal))}); remove it.",
                nameof(values));
        }

        foreach (var (name, parameter) in parsed.Parameters)
        {
            if (!values.TryGetValue(name, out var value) || value is null)
            {
                throw new ArgumentException(
                    $"hosts/{relativePath}: no value for parameter '{name}' ({parameter.Description}); pass it in the values dictionary.",
                    nameof(values));
            }

            // Values never carry the value itself into the message: a secret passed here by mistake must not leak.
            if (value.IndexOfAny(['\r', '\n', '\0']) >= 0)
            {
                throw new ArgumentException(
                    $"hosts/{relativePath}: the value for '{name}' contains a line break or NUL; host-file values are single-line ({parameter.Description}).",
                    nameof(values));
            }

            if (!parameter.Pattern.IsMatch(value))
            {
                throw new ArgumentException(
                    $"hosts/{relativePath}: the value for '{name}' ({value.Length} chars) does not match `{parameter.PatternText}` ({parameter.Description}); fix the value passed for '{name}'.",
                    nameof(values));
            }
        }

        // One pass: a value that happens to contain braces is never expanded again.
        return TokenRegex().Replace(text, m => values[PlaceholderName(relativePath, m)]);
    }

    /// <summary>Names of the parameters a template takes (its own and those of the files it inlines), sorted.</summary>
    public static IReadOnlyList<string> ParameterNames(string relativePath) => ParameterNames(Root, relativePath);

    /// <summary>Same as <see cref="ParameterNames(string)"/> with another template root (tests).</summary>
    internal static IReadOnlyList<string> ParameterNames(string root, string relativePath)
    {
        var parsed = Parse(root, relativePath, allowIncludes: true);
        foreach (Match m in IncludeRegex().Matches(parsed.Body))
        {
            Inline(root, relativePath, m.Groups[1].Value, parsed.Parameters);
        }

        return [.. parsed.Parameters.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Bash lines <c>export NAME='value'</c> (single-quoted, so no expansion) to put in front of a rendered script
    /// on a Command's stdin. This is how secrets reach a script: over SSH a Command's environment needs sshd's
    /// AcceptEnv and is dropped by <c>sudo</c>, while stdin reaches <c>sudo bash -s</c> intact. Call it inside
    /// <c>Output.Apply</c> of the secret values and keep the resulting stdin secret; never write it to a file.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not an upper-case shell variable name, or a value holds NUL or a line break.</exception>
    public static string ExportPreamble(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var text = new StringBuilder();
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!VariableRegex().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a valid variable name for a host script; use upper-case letters, digits and '_'.", nameof(variables));
            }

            ArgumentNullException.ThrowIfNull(value, name);
            if (value.IndexOfAny(['\r', '\n', '\0']) >= 0)
            {
                throw new ArgumentException($"the value for '{name}' contains a line break or NUL; host-script variables are single-line.", nameof(variables));
            }

            text.Append("export ").Append(name).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.ToString();
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 text; components use it as a Command trigger.</summary>
    public static string Sha256(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static string Inline(string root, string parent, string includePath, Dictionary<string, Parameter> parameters)
    {
        if (includePath.Split('/').Contains(".."))
        {
            throw new InvalidOperationException($"hosts/{parent}: inlined path '{includePath}' leaves hosts/; use a path relative to hosts/.");
        }

        var included = Parse(root, includePath, allowIncludes: false);
        if (included.Body.Split('\n').Any(line => line.TrimEnd('\r') == HeredocDelimiter))
        {
            throw new InvalidOperationException(
                $"hosts/{includePath} (inlined by hosts/{parent}) contains a line '{HeredocDelimiter}', which would end the heredoc early; remove it.");
        }

        foreach (var (name, parameter) in included.Parameters)
        {
            if (parameters.TryGetValue(name, out var existing) && existing.PatternText != parameter.PatternText)
            {
                throw new InvalidOperationException(
                    $"hosts/{parent}: parameter '{name}' is declared with different patterns here and in hosts/{includePath}; make them equal.");
            }

            parameters[name] = parameter;
        }

        // The include token sits on its own line inside a heredoc (or as code): drop the file's final newline.
        return included.Body.EndsWith('\n') ? included.Body[..^1] : included.Body;
    }

    private static string PlaceholderName(string relativePath, Match token)
    {
        var inner = NameRegex().Match(token.Groups[1].Value);
        if (!inner.Success)
        {
            throw new InvalidOperationException(
                $"hosts/{relativePath}: malformed placeholder '{token.Value}'; use {{{{ snake_case_name }}}} or {{{{ file:relative/path }}}}.");
        }

        return inner.Groups[1].Value;
    }

    private static Parsed Parse(string root, string relativePath, bool allowIncludes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath) || relativePath.Split('/', '\\').Contains(".."))
        {
            throw new ArgumentException($"host template path '{relativePath}' must be relative to hosts/ and stay inside it.", nameof(relativePath));
        }

        var fullPath = Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException(
                $"host template hosts/{relativePath} not found under {root}; check the path (the program copies hosts/** to its output directory).",
                fullPath);
        }

        var parameters = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        var body = new StringBuilder();
        foreach (var line in File.ReadAllText(fullPath, Encoding.UTF8).Split('\n'))
        {
            var declaration = ParamRegex().Match(line);
            if (!declaration.Success)
            {
                body.Append(line).Append('\n');
                continue;
            }

            var name = declaration.Groups[1].Value;
            if (!parameters.TryAdd(name, new Parameter(declaration.Groups[2].Value, declaration.Groups[3].Value.Trim())))
            {
                throw new InvalidOperationException($"hosts/{relativePath}: parameter '{name}' is declared twice; keep one '@param' line.");
            }
        }

        var text = body.ToString(0, body.Length - 1); // Split added one '\n' too many.
        var stray = text.Replace("{{", "\u0001", StringComparison.Ordinal).Count(c => c == '\u0001') - TokenRegex().Count(text);
        if (stray != 0)
        {
            throw new InvalidOperationException($"hosts/{relativePath}: '{{{{' without a matching '}}}}'; close the placeholder.");
        }

        if (!allowIncludes && IncludeRegex().IsMatch(text))
        {
            throw new InvalidOperationException($"hosts/{relativePath}: an inlined file cannot inline another one; flatten the include.");
        }

        foreach (Match m in TokenRegex().Matches(text))
        {
            if (!IncludeRegex().IsMatch(m.Value))
            {
                PlaceholderName(relativePath, m);
            }
        }

        return new Parsed(text, parameters);
    }

    private sealed record Parsed(string Body, Dictionary<string, Parameter> Parameters);

    private sealed class Parameter(string patternText, string description)
    {
        public string PatternText { get; } = patternText;

        public string Description { get; } = description.Length == 0 ? "no description" : description;

        public Regex Pattern { get; } = new(
            string.Create(CultureInfo.InvariantCulture, $"\\A(?:{patternText})\\z"),
            RegexOptions.CultureInvariant,
            TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"^\s*#\s*@param\s+([a-z][a-z0-9_]*)\s+`([^`]+)`(.*)$")]
    private static partial Regex ParamRegex();

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex TokenRegex();

    [GeneratedRegex(@"\{\{\s*file:([A-Za-z0-9_./-]+)\s*\}\}")]
    private static partial Regex IncludeRegex();

    [GeneratedRegex(@"^\s*([a-z][a-z0-9_]*)\s*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"\A[A-Z_][A-Z0-9_]*\z")]
    private static partial Regex VariableRegex();
}

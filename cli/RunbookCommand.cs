using System.Text;

namespace Boma.Infra.Cli;

/// <summary>
/// <c>runbook offsite [--input FILE|-] [--out PATH] [--with-secrets]</c>: writes the road-warrior enrolment
/// runbook from <c>pulumi stack output --json --show-secrets</c>. Safe by default: the setup key is left out
/// unless <c>--with-secrets</c> is given, and then only to a path outside any git work tree.
/// </summary>
internal static class RunbookCommand
{
    public const string DefaultOut = "docs/runbooks/road-warrior-enrolment.md";

    public const string Usage =
        "usage: runbook offsite [--input FILE|-] [--out PATH] [--with-secrets]\n" +
        "  reads `pulumi stack output --json --show-secrets --stack offsite` from FILE or stdin and writes\n" +
        $"  the road-warrior runbook to PATH (default {DefaultOut}) with the setup key left out;\n" +
        "  --with-secrets puts the live key in, and needs a PATH outside any git repository.";

    /// <param name="args">The arguments after the verb.</param>
    /// <param name="stdin">Where <c>--input -</c> (the default) reads from.</param>
    /// <param name="stdinIsTerminal">True when nobody piped anything in (reading would just wait).</param>
    /// <param name="workingDirectory">Relative paths are resolved against this.</param>
    public static int Run(string[] args, TextReader stdin, bool stdinIsTerminal, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var options = Parse(args);
            var outPath = Path.GetFullPath(options.Out, workingDirectory);
            if (Directory.Exists(outPath) || outPath.EndsWith(Path.DirectorySeparatorChar))
            {
                throw new RunbookException($"--out {options.Out} is a directory; give the runbook's file path (e.g. {Path.Combine(options.Out, "road-warrior.md")})");
            }

            // Symlinks are resolved first: a link out of /tmp into the checkout must not smuggle the key into git.
            outPath = Path.Combine(RealPath(Path.GetDirectoryName(outPath)!), Path.GetFileName(outPath));

            // The runbook replaces the target by rename: never a device, pipe or socket (as root that replaces the node).
            if (OutPath.FileProblem(outPath, followFinalLink: false) is { } outProblem)
            {
                throw new RunbookException($"--out {options.Out}: {outProblem}");
            }
            if (options.WithSecrets && FindGitWorkTree(outPath) is { } repo)
            {
                throw new RunbookException(
                    $"--with-secrets writes the live setup key, but --out {options.Out} is inside the git work tree {repo}; " +
                    "choose a path outside any repository (e.g. --out ~/boma-road-warrior.md) or drop --with-secrets");
            }

            string json;
            if (options.Input is null or "-")
            {
                if (stdinIsTerminal)
                {
                    throw new RunbookException(
                        "no stack outputs on stdin; pipe them in (`pulumi stack output --json --show-secrets --stack offsite | dotnet run -- runbook offsite`) or pass --input FILE");
                }

                json = stdin.ReadToEnd();
            }
            else
            {
                var inputPath = Path.GetFullPath(options.Input, workingDirectory);
                if (!File.Exists(inputPath))
                {
                    throw new RunbookException($"--input {options.Input}: no such file; save the outputs with `pulumi stack output --json --show-secrets --stack offsite > FILE`");
                }

                try
                {
                    json = File.ReadAllText(inputPath, new UTF8Encoding(false, throwOnInvalidBytes: true));
                }
                catch (DecoderFallbackException)
                {
                    throw new RunbookException($"--input {options.Input} is not UTF-8 text; save the outputs with `pulumi stack output --json --show-secrets --stack offsite > FILE`");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new RunbookException($"--input {options.Input}: cannot read it: {Config.Addresses.Show(e.Message, 500)}");
                }
            }

            var outputs = RunbookOutputs.Parse(json);
            if (options.WithSecrets && outputs.SetupKeyMasked)
            {
                throw new RunbookException(
                    $"`{RunbookOutputs.SecretName}` is masked as \"{RunbookOutputs.MaskedSecret}\"; --with-secrets needs `pulumi stack output --json --show-secrets`");
            }

            var text = RunbookTemplate.Render(RunbookTemplate.Load(), outputs, options.WithSecrets);
            WriteAtomically(outPath, text, options.WithSecrets);
            stdout.WriteLine(options.WithSecrets
                ? $"wrote {outPath} (contains the live setup key: do not commit it, delete it after use)"
                : $"wrote {outPath} (setup key left out; see the note at the top)");
            return 0;
        }
        catch (RunbookException e)
        {
            stderr.WriteLine($"runbook: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"runbook: cannot write the runbook: {Config.Addresses.Show(e.Message, 500)}; nothing was written");
            return 2;
        }
    }

    /// <summary>The path with every symlink in it resolved (the directory need not exist yet; missing parts are kept as given).</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        for (var hops = 0; ; hops++)
        {
            if (hops > 40)
            {
                throw new RunbookException($"{path}: too many levels of symbolic links");
            }

            var root = Path.GetPathRoot(full)!;
            var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? restart = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Combine(current, parts[i]);
                var target = new FileInfo(next).LinkTarget;
                if (target is not null)
                {
                    restart = Path.Combine([Path.GetFullPath(target, current), .. parts[(i + 1)..]]);
                    break;
                }

                current = next;
            }

            if (restart is null)
            {
                return current;
            }

            full = Path.GetFullPath(restart);
        }
    }

    private sealed record Options(string? Input, string Out, bool WithSecrets);

    private static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "offsite")
        {
            var got = args.Length == 0 ? "nothing" : $"`{args[0]}`";
            throw new RunbookException($"runbook needs the stack name `offsite` (the only stack with a runbook), got {got}\n{Usage}");
        }

        string? input = null;
        var output = DefaultOut;
        var withSecrets = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input" or "-i":
                    input = Value(args, ref i);
                    break;
                case "--out" or "-o":
                    output = Value(args, ref i);
                    break;
                case "--with-secrets":
                    withSecrets = true;
                    break;
                default:
                    throw new RunbookException($"unknown argument `{args[i]}`\n{Usage}");
            }
        }

        return new Options(input, output, withSecrets);
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].Length == 0 || args[i + 1].Contains('\0', StringComparison.Ordinal))
        {
            // One line, as every other refusal of the verb: the usage line names the arguments.
            throw new RunbookException($"{args[i]} needs a value ({Usage.Split('\n')[0]})");
        }

        i++;
        var value = args[i];
        // `~/x` as typed in docs: the shell only expands a leading ~ of a separate word.
        return value.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), value[2..])
            : value;
    }

    /// <summary>The nearest ancestor directory (of the file's directory) holding a <c>.git</c> entry, if any.</summary>
    internal static string? FindGitWorkTree(string filePath)
    {
        for (var dir = Path.GetDirectoryName(filePath); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var git = Path.Combine(dir, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir;
            }
        }

        return null;
    }

    // Render first, then write to a temporary file and rename, so a failure never leaves half a runbook. The
    // temporary file is created 0600 and has a fixed name, so a crashed run's leftover is removed by the next.
    private static void WriteAtomically(string path, string text, bool secret)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.boma-tmp");
        File.Delete(temp);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.Write(text);
            }

            if (!secret && !OperatingSystem.IsWindows())
            {
                // The redacted runbook is meant to be committed and read: the usual 0644.
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}

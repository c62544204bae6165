using Boma.Infra.Cli;

namespace Boma.Infra.Tests.Cli;

/// <summary>One in-process run of the guard verb with captured streams.</summary>
internal sealed record GuardRun(int ExitCode, string Stdout, string Stderr)
{
    public static GuardRun Of(params string[] args) => WithStdin("", args);

    public static GuardRun WithStdin(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = GuardCommand.Run(args, input, output, error);
        return new GuardRun(code, output.ToString(), error.ToString());
    }
}

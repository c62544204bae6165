using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Boma.Pulumi.Serialization;
using Boma.Pulumi.Testing;

namespace Boma.Infra.Rehearsal.Deploy;

/// <summary>
/// Executes command steps as the engine and pulumi-command v1.2.1 do (behaviour read from
/// provider/pkg/provider/{remote,local}/*Controller.go and commandOutputs.go at tag v1.2.1):
/// <list type="bullet">
/// <item>Create runs <c>create</c> (nothing when unset); Update runs <c>update</c>, else <c>create</c>, else nothing,
/// with the previous stdout/stderr offered as PULUMI_COMMAND_STDOUT/STDERR unless <c>addPreviousOutputInEnv</c> is
/// false; Delete runs <c>delete</c> only when set, with the recorded inputs and outputs.</item>
/// <item>stdout/stderr outputs lose one trailing newline; <c>logging</c> decides only what is logged, never what is
/// captured.</item>
/// <item>CopyToRemote: create copies; update copies again only when the source's hash or <c>remotePath</c> changed;
/// there is no delete (the file stays).</item>
/// <item>After a failed step the engine starts no new step (in-flight ones finish): later steps are reported
/// <see cref="DeployAction.NotRun"/>, and removed steps are not deleted.</item>
/// </list>
/// </summary>
internal sealed class StepExecutor(
    DeployInputs inputs,
    DeployState state,
    Lock stateLock,
    IRemoteShell shell,
    ExecuteHooks hooks,
    SecretMasker masker,
    CancellationToken cancellationToken) : IDisposable
{
    private const int TailLines = 20;
    private readonly SemaphoreSlim _gate = new(inputs.Parallel, inputs.Parallel);
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly List<DeployStepResult> _results = [];
    private readonly List<StateRecord> _replaced = [];
    private readonly HashSet<string> _excluded = new(StringComparer.Ordinal);
    private string? _failure;

    public void Dispose() => _gate.Dispose();

    /// <summary>Every failure (the first, then in-flight steps that failed too), masked; null while all went well.</summary>
    public string? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    public ImmutableArray<DeployStepResult> Results
    {
        get
        {
            lock (_lock)
            {
                return [.. _results];
            }
        }
    }

    /// <summary>The mock's answer for a command registration: runs the step (or skips it) and returns its outputs.</summary>
    public async Task<Dictionary<string, object?>> RunAsync(MockResourceArgs args)
    {
        var news = StateJson.FromPlain(args.Inputs);
        StateRecord? old;
        lock (stateLock)
        {
            old = state.Resources.GetValueOrDefault(args.Urn);
        }

        if (Excludes(args))
        {
            await EndAsync(new DeployStepResult(args.Name, args.Urn, args.Type, DeployAction.Excluded, null, 0, [], null)).ConfigureAwait(false);
            return Outputs(args, old?.Outputs ?? []);
        }

        var (action, _) = StepDiff.Decide(old, args.Type, news, args.Request);
        var secretOutputs = args.Request?.AdditionalSecretOutputs.ToHashSet(StringComparer.Ordinal) ?? [];
        if (action == DeployAction.Skip)
        {
            RememberSecretOutputs(old!.Outputs, secretOutputs);
            await EndAsync(new DeployStepResult(args.Name, args.Urn, args.Type, action, null, 0, [], null)).ConfigureAwait(false);
            return Outputs(args, old.Outputs);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Failure is not null)
            {
                await EndAsync(new DeployStepResult(args.Name, args.Urn, args.Type, DeployAction.NotRun, null, 0, [], null)).ConfigureAwait(false);
                throw new DeployStepException($"{args.Name}: not started, an earlier step failed");
            }

            if (hooks.StepStarted is { } started)
            {
                await started(new DeployStepEvent(args.Name, args.Urn, args.Type, action), cancellationToken).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            var startedAt = _since.Elapsed.TotalSeconds;
            var record = new StateRecord
            {
                Urn = args.Urn,
                Type = args.Type,
                Name = args.Name,
                Inputs = news,
                Dependencies = [.. args.Request?.Dependencies ?? []],
            };
            ShellResult? ran = null;
            try
            {
                switch (action)
                {
                    case DeployAction.Create:
                        ran = await CreateAsync(record).ConfigureAwait(false);
                        break;
                    case DeployAction.Update:
                        ran = await UpdateAsync(old!, record).ConfigureAwait(false);
                        break;
                    default:
                        if (args.Request?.DeleteBeforeReplace == true)
                        {
                            // Delete-before-replace: the old resource's delete first, then the new create.
                            await DeleteCommandAsync(old!).ConfigureAwait(false);
                            lock (stateLock)
                            {
                                state.Resources.Remove(args.Urn);
                            }
                        }
                        else
                        {
                            // Create-before-delete: the old one is deleted at the end, with the removed resources.
                            lock (_lock)
                            {
                                _replaced.Add(old!);
                            }
                        }

                        ran = await CreateAsync(record).ConfigureAwait(false);
                        break;
                }

                record.Outputs = ran is null && old is not null && action == DeployAction.Update
                    ? old.Outputs.DeepClone().AsObject()
                    : new JsonObject { ["stdout"] = TrimOne(ran?.Stdout), ["stderr"] = TrimOne(ran?.Stderr) };
                RememberSecretOutputs(record.Outputs, secretOutputs);
                lock (stateLock)
                {
                    state.Resources[args.Urn] = record;
                    state.Save(inputs.StateDirectory);
                }

                var result = new DeployStepResult(args.Name, args.Urn, args.Type, action, ran?.ExitCode ?? 0, clock.Elapsed.TotalSeconds,
                    ChangedLines(StateJson.String(record.Outputs, "stdout"), secretOutputs.Contains("stdout")), null, startedAt, [.. record.Dependencies]);
                if (hooks.AfterStep is { } after)
                {
                    try
                    {
                        await after(result, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        throw new StepFailedException(null, $"the check after the step failed: {e.Message}");
                    }
                }

                await EndAsync(result).ConfigureAwait(false);
                return Outputs(args, record.Outputs);
            }
            catch (StepFailedException f)
            {
                var message = masker.Apply($"{args.Name} ({args.Urn}) failed{(f.Exit is { } exit ? $" with exit {exit}" : "")}: {f.Message}");
                Fail(message);
                await EndAsync(new DeployStepResult(args.Name, args.Urn, args.Type, action, f.Exit, clock.Elapsed.TotalSeconds, [], message, startedAt)).ConfigureAwait(false);
                throw new DeployStepException(message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether this run leaves the step out: it depends on an excluded type's resource or on a step left out.</summary>
    private bool Excludes(MockResourceArgs args)
    {
        if (inputs.ExcludeDependentsOf.Count == 0)
        {
            return false;
        }

        lock (_lock)
        {
            if ((args.Request?.Dependencies ?? []).Any(d => _excluded.Contains(d) || inputs.ExcludeDependentsOf.Contains(TypeOf(d))))
            {
                _excluded.Add(args.Urn);
                return true;
            }

            return false;
        }
    }

    /// <summary>The type of a URN (<c>urn:pulumi:STACK::PROJECT::PARENT$TYPE::NAME</c>).</summary>
    internal static string TypeOf(string urn)
    {
        var parts = urn.Split("::");
        return parts.Length < 4 ? "" : parts[2][(parts[2].LastIndexOf('$') + 1)..];
    }

    /// <summary>Deletes the steps that left the program and the old halves of create-before-delete replacements, dependants first.</summary>
    public async Task DeleteRemovedAsync(IReadOnlySet<string> registered)
    {
        List<StateRecord> doomed;
        lock (stateLock)
        {
            foreach (var gone in state.Resources.Values.Where(r => !DeployMocks.IsCommand(r.Type) && !registered.Contains(r.Urn)).ToList())
            {
                state.Resources.Remove(gone.Urn);
            }

            doomed = [.. state.Resources.Values.Where(r => !registered.Contains(r.Urn))];
        }

        lock (_lock)
        {
            doomed.AddRange(_replaced);
        }

        while (doomed.Count > 0 && Failure is null)
        {
            // A resource goes only when nothing still waiting to be deleted depends on it.
            var next = doomed.FirstOrDefault(r => !doomed.Any(o => !ReferenceEquals(o, r) && o.Dependencies.Contains(r.Urn))) ?? doomed[0];
            doomed.Remove(next);
            bool replacedHalf;
            lock (_lock)
            {
                replacedHalf = _replaced.Contains(next);
            }

            if (replacedHalf && (next.Type == "command:remote:CopyToRemote" || StateJson.String(next.Inputs, "delete") is null))
            {
                // The old half of a replacement with nothing to run: the replace line already tells the story.
                continue;
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            try
            {
                if (hooks.StepStarted is { } started)
                {
                    await started(new DeployStepEvent(next.Name, next.Urn, next.Type, DeployAction.Delete), cancellationToken).ConfigureAwait(false);
                }

                var ran = await DeleteCommandAsync(next).ConfigureAwait(false);
                lock (stateLock)
                {
                    if (state.Resources.TryGetValue(next.Urn, out var current) && ReferenceEquals(current, next))
                    {
                        state.Resources.Remove(next.Urn);
                    }

                    state.Save(inputs.StateDirectory);
                }

                var result = new DeployStepResult(next.Name, next.Urn, next.Type, DeployAction.Delete, ran?.ExitCode ?? 0, clock.Elapsed.TotalSeconds, [], null);
                if (hooks.AfterStep is { } after)
                {
                    await after(result, cancellationToken).ConfigureAwait(false);
                }

                await EndAsync(result).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StepFailedException or InvalidOperationException or IOException)
            {
                var exit = (e as StepFailedException)?.Exit;
                var message = masker.Apply($"{next.Name} ({next.Urn}) delete failed{(exit is { } x ? $" with exit {x}" : "")}: {e.Message}");
                Fail(message);
                await EndAsync(new DeployStepResult(next.Name, next.Urn, next.Type, DeployAction.Delete, exit, clock.Elapsed.TotalSeconds, [], message)).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private Task<ShellResult?> CreateAsync(StateRecord record) => record.Type switch
    {
        "command:remote:CopyToRemote" => CopyAsync(record.Inputs),
        _ => RunCommandAsync(record, StateJson.String(record.Inputs, "create"), previous: null),
    };

    private async Task<ShellResult?> UpdateAsync(StateRecord old, StateRecord record)
    {
        if (record.Type == "command:remote:CopyToRemote")
        {
            var sourceChanged = !JsonNode.DeepEquals(old.Inputs["source"]?["hash"], record.Inputs["source"]?["hash"]);
            var pathChanged = StateJson.String(old.Inputs, "remotePath") != StateJson.String(record.Inputs, "remotePath");
            return sourceChanged || pathChanged ? await CopyAsync(record.Inputs).ConfigureAwait(false) : null;
        }

        var command = StateJson.String(record.Inputs, "update") ?? StateJson.String(record.Inputs, "create");
        return await RunCommandAsync(record, command, old.Outputs).ConfigureAwait(false);
    }

    private Task<ShellResult?> DeleteCommandAsync(StateRecord old) => old.Type == "command:remote:CopyToRemote"
        ? Task.FromResult<ShellResult?>(null)
        : RunCommandAsync(old, StateJson.String(old.Inputs, "delete"), old.Outputs);

    private async Task<ShellResult?> RunCommandAsync(StateRecord record, string? command, JsonObject? previous)
    {
        if (command is null)
        {
            return null;
        }

        var i = record.Inputs;
        var environment = (i["environment"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var previousEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (previous is not null && i["addPreviousOutputInEnv"]?.GetValue<bool>() != false)
        {
            foreach (var (key, name) in new[] { ("stdout", "PULUMI_COMMAND_STDOUT"), ("stderr", "PULUMI_COMMAND_STDERR") })
            {
                if (StateJson.String(previous, key) is { Length: > 0 } value)
                {
                    previousEnvironment[name] = value;
                }
            }
        }

        var stdin = StateJson.String(i, "stdin");
        ShellResult result;
        try
        {
            if (record.Type == "command:local:Command")
            {
                var interpreter = (i["interpreter"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() is { Count: > 0 } given ? given : ["/bin/sh", "-c"];
                foreach (var (key, value) in previousEnvironment)
                {
                    environment[key] = value;
                }

                result = await inputs.LocalShell.RunAsync(interpreter, command, StateJson.String(i, "dir"), stdin, environment, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var connection = RemoteConnection.From(StateJson.Plain(i["connection"]));
                result = await shell.RunAsync(connection, command, stdin, environment, previousEnvironment, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            throw new StepFailedException(null, e.Message);
        }

        Log(record, result);
        if (result.ExitCode != 0)
        {
            throw new StepFailedException(result.ExitCode, "\n" + Tail(result.Stderr.Length > 0 ? result.Stderr : result.Stdout));
        }

        return result;
    }

    private async Task<ShellResult?> CopyAsync(JsonObject i)
    {
        var connection = RemoteConnection.From(StateJson.Plain(i["connection"]));
        var source = i["source"] as JsonObject ?? throw new StepFailedException(null, "CopyToRemote has no source");
        var kind = StateJson.String(source, StateJson.AssetKey);
        var copy = kind switch
        {
            "text" => new CopySource(StateJson.String(source, "text"), null, false),
            "file" => new CopySource(null, StateJson.String(source, "path"), false),
            _ => new CopySource(null, StateJson.String(source, "path"), Directory.Exists(StateJson.String(source, "path"))),
        };
        var remotePath = StateJson.String(i, "remotePath") ?? throw new StepFailedException(null, "CopyToRemote has no remotePath");
        try
        {
            await shell.CopyAsync(connection, copy, remotePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            throw new StepFailedException(null, e.Message);
        }

        return new ShellResult(0, "", "");
    }

    private void Log(StateRecord record, ShellResult result)
    {
        if (hooks.Log is not { } log)
        {
            return;
        }

        var logging = StateJson.String(record.Inputs, "logging") ?? "stdoutAndStderr";
        if (logging is "stdout" or "stdoutAndStderr")
        {
            foreach (var line in Lines(result.Stdout))
            {
                log(masker.Apply($"{record.Name}: {line}"));
            }
        }

        if (logging is "stderr" or "stdoutAndStderr")
        {
            foreach (var line in Lines(result.Stderr))
            {
                log(masker.Apply($"{record.Name}: {line}"));
            }
        }
    }

    private void RememberSecretOutputs(JsonObject outputs, HashSet<string> secretOutputs)
    {
        foreach (var key in secretOutputs)
        {
            masker.Add(StateJson.String(outputs, key), splitLines: false);
        }
    }

    private ImmutableArray<string> ChangedLines(string? stdout, bool secret) =>
        [.. Lines(stdout)
            .Where(l => secret ? System.Text.RegularExpressions.Regex.IsMatch(l, "^summary: [0-9]+ changed$") : l.StartsWith("changed: ", StringComparison.Ordinal) || l.StartsWith("summary: ", StringComparison.Ordinal))
            .Select(masker.Apply)];

    private string Tail(string text) => masker.Apply(string.Join('\n', Lines(text).TakeLast(TailLines)));

    private static IEnumerable<string> Lines(string? text) => (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'));

    /// <summary>The provider trims exactly one trailing newline from stdout and stderr.</summary>
    private static string TrimOne(string? text) => text is null ? "" : text.EndsWith('\n') ? text[..^1] : text;

    private static Dictionary<string, object?> Outputs(MockResourceArgs args, JsonObject recorded)
    {
        var outputs = new Dictionary<string, object?>(args.Inputs, StringComparer.Ordinal);
        if (args.Type != "command:remote:CopyToRemote")
        {
            outputs["stdout"] = StateJson.String(recorded, "stdout") ?? "";
            outputs["stderr"] = StateJson.String(recorded, "stderr") ?? "";
        }

        return outputs;
    }

    private void Fail(string message)
    {
        lock (_lock)
        {
            // In-flight steps finish after the first failure; each one that fails too is reported (as the engine does).
            _failure = _failure is null ? message : _failure + "\n\n" + message;
        }
    }

    private async Task EndAsync(DeployStepResult result)
    {
        lock (_lock)
        {
            _results.Add(result);
        }

        if (hooks.StepEnded is { } ended)
        {
            await ended(result, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class StepFailedException(int? exit, string message) : Exception(message)
    {
        public int? Exit { get; } = exit;
    }
}

/// <summary>A step failed (or was not started after a failure); its message is masked.</summary>
internal sealed class DeployStepException(string message) : Exception(message);

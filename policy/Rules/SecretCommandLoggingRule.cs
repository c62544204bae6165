namespace Boma.Infra.Policy.Rules;

/// <summary>
/// Kind "secret-command-logging": a command whose inputs carry a secret (other than the listed ones, such as the
/// SSH connection, whose secret never reaches the output) must not log, and must mark stdout/stderr secret.
/// </summary>
internal sealed class SecretCommandLoggingRule : IResourceRule
{
    private readonly IReadOnlyList<string> commandTypes;
    private readonly IReadOnlyList<string> ignoredSecretInputs;
    private readonly string requiredLogging;
    private readonly IReadOnlyList<string> requiredSecretOutputs;

    public SecretCommandLoggingRule(RuleDefinition definition)
    {
        Definition = definition;
        var p = definition.Parameters;
        commandTypes = p.Strings("commandTypes");
        ignoredSecretInputs = p.Strings("ignoredSecretInputs");
        requiredLogging = p.String("requiredLogging");
        requiredSecretOutputs = p.Strings("requiredSecretOutputs");
    }

    public RuleDefinition Definition { get; }

    public IEnumerable<Violation> Check(IReadOnlyList<ResourceView> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var command in resources.Where(r => TypePattern.MatchesAny(commandTypes, r.Type)))
        {
            var secretInputs = command.Inputs
                .Where(p => !ignoredSecretInputs.Contains(p.Key, StringComparer.Ordinal) && WireValue.ContainsSecret(p.Value))
                .Select(p => p.Key)
                .ToList();
            if (secretInputs.Count == 0)
            {
                continue;
            }

            var because = $"it receives a secret in {string.Join(", ", secretInputs)}";
            var logging = WireValue.AsString(command.Inputs["logging"]);
            if (!string.Equals(logging, requiredLogging, StringComparison.Ordinal))
            {
                yield return new Violation(Definition.Id, command.Urn,
                    $"logging is {(logging is null ? "not set (the provider logs stdout and stderr)" : $"'{logging}'")} but {because}: set Logging = \"{requiredLogging}\"");
            }

            var missing = requiredSecretOutputs
                .Where(o => !command.AdditionalSecretOutputs.Contains(o, StringComparer.Ordinal))
                .ToList();
            if (missing.Count > 0)
            {
                yield return new Violation(Definition.Id, command.Urn,
                    $"additionalSecretOutputs lacks {string.Join(", ", missing)} but {because}: add AdditionalSecretOutputs = [{string.Join(", ", requiredSecretOutputs.Select(o => $"\"{o}\""))}]");
            }
        }
    }
}

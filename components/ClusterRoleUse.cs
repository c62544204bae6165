using System.Collections.Immutable;

namespace Boma.Infra.Components;

/// <summary>A role the cluster uses: the first config key naming it (<c>boma:vms[2].role</c>) and every VM that has it.</summary>
internal sealed record ClusterRoleUse(string Role, string ConfigKey, ImmutableArray<string> Vms);

using System.Collections.Immutable;
using Boma.Infra.Components;

namespace Boma.Infra.Stacks;

/// <summary>What building a stack produced: its outputs and every host file its components rendered.</summary>
internal sealed record StackBuild(IDictionary<string, object?> Outputs, ImmutableArray<HostFile> HostFiles);

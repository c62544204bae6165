using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;

namespace Boma.Pulumi;

/// <summary>Base of resource inputs (and of nested input objects): <see cref="InputAttribute"/> properties.</summary>
public abstract class ResourceArgs
{
    /// <summary>No inputs.</summary>
    public static readonly ResourceArgs Empty = new EmptyResourceArgs();

    /// <summary>Checks across properties; every message returned is reported as an error before anything is registered.</summary>
    public virtual IEnumerable<string> Validate() => [];

    /// <summary>The [Input] members of this type, base types first.</summary>
    internal ImmutableArray<(InputAttribute Attribute, MemberInfo Member)> InputMembers() => InputMembersOf(GetType());

    internal static ImmutableArray<(InputAttribute Attribute, MemberInfo Member)> InputMembersOf(Type type) =>
        InputMembersCache.GetOrAdd(type, ScanInputMembers);

    // Reflection over attributes costs far more than a registration's own work; a type's members never change.
    private static readonly ConcurrentDictionary<Type, ImmutableArray<(InputAttribute Attribute, MemberInfo Member)>> InputMembersCache = new();

    private static ImmutableArray<(InputAttribute Attribute, MemberInfo Member)> ScanInputMembers(Type type)
    {
        var result = ImmutableArray.CreateBuilder<(InputAttribute, MemberInfo)>();
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(ResourceArgs); t = t.BaseType)
        {
            chain.Push(t);
        }

        foreach (var t in chain)
        {
            foreach (var member in t.GetMembers(flags))
            {
                if (member is (PropertyInfo or FieldInfo) && member.GetCustomAttribute<InputAttribute>() is { } attr)
                {
                    result.Add((attr, member));
                }
            }
        }

        return result.ToImmutable();
    }

    internal static object? GetValue(MemberInfo member, object target) => member switch
    {
        PropertyInfo p => p.GetValue(target),
        FieldInfo f => f.GetValue(target),
        _ => null,
    };

    private sealed class EmptyResourceArgs : ResourceArgs
    {
    }
}

using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Boma.Pulumi;

/// <summary>
/// Parses every answer from the engine with the protobuf recursion limit raised from Google.Protobuf's 100 to 500.
/// Resource outputs travel as <c>Struct</c>s, where one level of a property costs about three protobuf levels, so the
/// default stops at roughly 33 levels of nesting. The official .NET SDK ships a Google.Protobuf fork (Pulumi.Protobuf
/// 3.27.3, pulumi-dotnet's Pulumi.csproj) whose only change is DefaultRecursionLimit = 500 in CodedInputStream.cs and
/// ParseContext.cs (pulumi/protobuf commit 91ed370b); this gives the same limit without a fork.
/// </summary>
internal sealed class RecursionLimitInterceptor : Interceptor
{
    /// <summary>The limit of the official SDK's fork.</summary>
    public const int Limit = 500;

    private readonly ConcurrentDictionary<IMethod, object> _methods = new();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var method = (Method<TRequest, TResponse>)_methods.GetOrAdd(context.Method, static (_, m) => Raised(m), context.Method);
        return continuation(request, new ClientInterceptorContext<TRequest, TResponse>(method, context.Host, context.Options));
    }

    private static Method<TRequest, TResponse> Raised<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class =>
        new(method.Type, method.ServiceName, method.Name, method.RequestMarshaller, new Marshaller<TResponse>(
            method.ResponseMarshaller.ContextualSerializer,
            context => ParseRaised(method.ResponseMarshaller.ContextualDeserializer, context)));

    /// <summary>
    /// The generated parser first (no copy of the payload, no stream); only an answer it rejects (nesting deeper than
    /// 100, or broken) is parsed again with the raised limit. The result is the same message either way.
    /// </summary>
    private static T ParseRaised<T>(Func<DeserializationContext, T> generated, DeserializationContext context)
    {
        try
        {
            return generated(context);
        }
        catch (InvalidProtocolBufferException)
        {
            return Parse<T>(context.PayloadAsNewBuffer());
        }
    }

    /// <summary>Parses <paramref name="payload"/> as a <typeparamref name="T"/> with the raised limit.</summary>
    internal static T Parse<T>(byte[] payload)
    {
        var message = (IMessage)Activator.CreateInstance<T>()!;
        using var stream = new MemoryStream(payload, writable: false);
        using var input = CodedInputStream.CreateWithLimits(stream, int.MaxValue, Limit);
        message.MergeFrom(input);
        return (T)message;
    }
}

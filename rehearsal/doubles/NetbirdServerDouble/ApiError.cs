using System.Text.Json.Nodes;

namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// An error answered as upstream's util.WriteError / WriteErrorResponse do: {"message", "code"} with the status the
/// error type maps to. WriteError lower-cases the message; WriteErrorResponse keeps it.
/// </summary>
internal sealed class ApiError(int status, string message, bool lowerCase = true) : Exception(message)
{
    public int Status { get; } = status;

    public string Body => new JsonObject
    {
        ["message"] = lowerCase ? Message.ToLowerInvariant() : Message,
        ["code"] = Status,
    }.ToJsonString();

    // status.Type -> HTTP status, as shared/management/http/util/util.go WriteError maps them.
    public static ApiError InvalidArgument(string message) => new(422, message);

    public static ApiError NotFound(string message) => new(404, message);

    public static ApiError PreconditionFailed(string message) => new(412, message);

    public static ApiError AlreadyExists(string message) => new(409, message);

    public static ApiError Unauthorized(string message) => new(401, message);

    public static ApiError PermissionDenied(string message) => new(403, message);

    /// <summary>A body that does not decode: WriteErrorResponse with 400, message kept as written.</summary>
    public static ApiError BadJson(string message = "couldn't parse JSON request") => new(400, message, lowerCase: false);
}

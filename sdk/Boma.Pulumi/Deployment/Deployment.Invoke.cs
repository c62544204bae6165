namespace Boma.Pulumi;

/// <summary>Provider functions.</summary>
public sealed partial class Deployment
{
    /// <summary>
    /// Calls a provider function (e.g. <c>hcloud:index/getServer:getServer</c>) and converts its result to
    /// <typeparamref name="T"/> (an [OutputType] class, a dictionary, or <c>object</c>). Fails when the provider reports failures.
    /// </summary>
    public static async Task<T> InvokeAsync<T>(string token, ResourceArgs? args = null, InvokeOptions? options = null)
    {
        var data = await Invoke<T>(token, args, options).DataTask.ConfigureAwait(false);
        return data.Value;
    }

    /// <summary>Calls a provider function as an output: unknown while its arguments are unknown, secret if its result is.</summary>
    public static Output<T> Invoke<T>(string token, ResourceArgs? args = null, InvokeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var run = DeploymentRun.Current
            ?? throw new InvalidOperationException($"Function '{token}' was called outside a deployment: call it inside Deployment.RunAsync(...).");
        Serialization.PluginVersion.Validate(options?.Version, $"Function '{token}'");
        return new Output<T>(run.InvokeAsync<T>(token, args, options));
    }
}

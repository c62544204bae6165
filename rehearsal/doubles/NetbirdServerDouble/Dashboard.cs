namespace Boma.Rehearsal.NetbirdDouble;

/// <summary>
/// The dashboard image's stand-in: static HTML on port 80 for every path (the real one is a single-page app
/// served by nginx, so unknown paths such as /nb-auth answer the same page).
/// </summary>
internal static class Dashboard
{
    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>NetBird</title></head>
        <body><div id="root">NetBird dashboard (rehearsal double of netbirdio/dashboard v2.39.0)</div></body>
        </html>
        """;

    public static async Task HandleAsync(HttpContext ctx)
    {
        if (ctx.Request.Method is not ("GET" or "HEAD"))
        {
            ctx.Response.StatusCode = 405;
            return;
        }

        ctx.Response.ContentType = "text/html";
        await ctx.Response.WriteAsync(Page + "\n");
    }
}

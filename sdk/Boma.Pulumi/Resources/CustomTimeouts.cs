namespace Boma.Pulumi;

/// <summary>How long the provider may take per operation.</summary>
public sealed class CustomTimeouts
{
    /// <summary>Create timeout.</summary>
    public TimeSpan? Create { get; set; }

    /// <summary>Update timeout.</summary>
    public TimeSpan? Update { get; set; }

    /// <summary>Delete timeout.</summary>
    public TimeSpan? Delete { get; set; }

    /// <summary>A Go duration string (<c>5m</c>, <c>1h30m</c>, <c>90s</c>, <c>250ms</c>); empty when unset.</summary>
    internal static string ToGoDuration(TimeSpan? span)
    {
        if (span is not { } t || t <= TimeSpan.Zero)
        {
            return "";
        }

        var sb = new System.Text.StringBuilder();
        var hours = (long)t.TotalHours;
        if (hours > 0)
        {
            sb.Append(hours).Append('h');
        }

        if (t.Minutes > 0)
        {
            sb.Append(t.Minutes).Append('m');
        }

        if (t.Seconds > 0)
        {
            sb.Append(t.Seconds).Append('s');
        }

        if (t.Milliseconds > 0)
        {
            sb.Append(t.Milliseconds).Append("ms");
        }

        return sb.ToString();
    }
}

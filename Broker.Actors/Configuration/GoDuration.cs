using System.Globalization;

namespace Broker.Configuration;

/// <summary>A duration as Go's <c>time.Duration.String</c> prints it ("2m0s", "30s", "500ms"), for nats-server's messages.</summary>
public static class GoDuration
{
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var sign = value < TimeSpan.Zero ? "-" : "";
        value = value.Duration();
        if (value < TimeSpan.FromSeconds(1)) return sign + value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        var hours = (long)value.TotalHours;
        var seconds = (value - TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(value.Minutes)).TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
        if (hours > 0) return $"{sign}{hours}h{value.Minutes}m{seconds}";
        return value.Minutes > 0 ? $"{sign}{value.Minutes}m{seconds}" : sign + seconds;
    }
}

using System.Globalization;
using System.Text;

namespace Broker.Monitoring;

/// <summary>
/// The text forms nats-server's JSON takes from Go: RFC 3339 times with trailing zeros trimmed,
/// <c>time.Duration.String()</c> (<c>"281µs"</c>, <c>"1m30s"</c>), and nats-server's own uptime form
/// (<c>"1d2h3m4s"</c>).
/// </summary>
public static class GoFormat
{
    /// <summary>Go's <c>time.RFC3339Nano</c> of a UTC time: <c>2026-11-25T09:01:41.49276561Z</c>.</summary>
    public static string Time(DateTime utc)
    {
        utc = utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0) return text + "Z";
        // Ticks are 100ns: seven digits, shown as Go shows nanoseconds, without trailing zeros.
        return text + "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }

    /// <summary>nats-server's <c>myUptime</c>: whole seconds, in years, days, hours and minutes as they are reached.</summary>
    public static string Uptime(TimeSpan elapsed)
    {
        var seconds = Math.Max(0, (long)elapsed.TotalSeconds);
        var minutes = seconds / 60;
        var hours = minutes / 60;
        var days = hours / 24;
        var years = days / 365;
        if (years > 0) return $"{years}y{days % 365}d{hours % 24}h{minutes % 60}m{seconds % 60}s";
        if (days > 0) return $"{days}d{hours % 24}h{minutes % 60}m{seconds % 60}s";
        if (hours > 0) return $"{hours}h{minutes % 60}m{seconds % 60}s";
        if (minutes > 0) return $"{minutes}m{seconds % 60}s";
        return $"{seconds}s";
    }

    /// <summary>Go's <c>time.Duration.String()</c>, at the 100ns resolution of <see cref="TimeSpan"/>.</summary>
    public static string Duration(TimeSpan duration)
    {
        var nanos = duration.Ticks * 100;
        if (nanos == 0) return "0s";
        var negative = nanos < 0;
        var magnitude = negative ? -(decimal)nanos : nanos;
        var text = new StringBuilder(negative ? "-" : "");
        if (magnitude < 1_000_000_000m)
        {
            // Below a second: one unit with a fraction.
            var (scale, unit) = magnitude switch
            {
                < 1_000m => (1m, "ns"),
                < 1_000_000m => (1_000m, "µs"),
                _ => (1_000_000m, "ms"),
            };
            return text.Append(Trim(magnitude / scale)).Append(unit).ToString();
        }
        var hours = decimal.Truncate(magnitude / 3_600_000_000_000m);
        magnitude -= hours * 3_600_000_000_000m;
        var minutes = decimal.Truncate(magnitude / 60_000_000_000m);
        magnitude -= minutes * 60_000_000_000m;
        if (hours > 0) text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return text.Append(Trim(magnitude / 1_000_000_000m)).Append('s').ToString();
    }

    private static string Trim(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}

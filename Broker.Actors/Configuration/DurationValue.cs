using System.Globalization;

namespace Broker.Configuration;

/// <summary>
/// nats-server's duration forms: Go durations (<c>"2m"</c>, <c>"1m30s"</c>, <c>"500ms"</c>, <c>"1.5h"</c>;
/// units ns, us/µs, ms, s, m, h) or a plain number of seconds, as nats-server reads a bare number.
/// </summary>
public static class DurationValue
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            if (Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2) return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        // Go's time.ParseDuration: [sign] (number unit)+
        var negative = text[0] == '-';
        var at = text[0] is '-' or '+' ? 1 : 0;
        if (at == text.Length) return false;
        double ticks = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.')) at++;
            if (at == start || !double.TryParse(text.AsSpan(start, at - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }
            var unitStart = at;
            while (at < text.Length && !char.IsAsciiDigit(text[at]) && text[at] != '.') at++;
            var ticksPerUnit = text[unitStart..at] switch
            {
                "ns" => 0.01,
                "us" or "\u00b5s" or "\u03bcs" => 10.0,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1.0,
            };
            if (ticksPerUnit < 0) return false;
            ticks += number * ticksPerUnit;
            if (ticks > TimeSpan.MaxValue.Ticks / 2) return false;
        }
        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }
}

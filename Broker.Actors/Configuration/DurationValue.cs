using System.Globalization;

namespace Broker.Configuration;

/// <summary>nats-server's duration forms: Go durations ("2m", "1m30s", "500ms") or plain seconds.</summary>
public static class DurationValue
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0) return false;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2) return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        var negative = text[0] == '-';
        var at = negative || text[0] == '+' ? 1 : 0;
        if (at == text.Length) return false;
        double ticks = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.')) at++;
            if (at == start || !double.TryParse(text.AsSpan(start, at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = at;
            while (at < text.Length && !char.IsAsciiDigit(text[at]) && text[at] != '.') at++;
            var perUnit = text[unitStart..at] switch
            {
                "ns" => TimeSpan.TicksPerMillisecond / 1_000_000.0,
                "us" or "µs" => TimeSpan.TicksPerMillisecond / 1000.0,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1.0,
            };
            if (perUnit < 0) return false;
            ticks += number * perUnit;
        }
        if (ticks > TimeSpan.MaxValue.Ticks / 2) return false;
        value = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }
}

namespace Broker.Configuration;

/// <summary>
/// nats-server's integer forms, used for sizes and counts alike: digits with an optional sign and
/// unit, case-insensitive. As in nats-server 2.9: <c>k</c>, <c>m</c>, <c>g</c>, <c>t</c>, <c>p</c>,
/// <c>e</c> are powers of 1000; <c>kb</c>/<c>ki</c>/<c>kib</c>, <c>mb</c>/<c>mi</c>/<c>mib</c>, ... are
/// powers of 1024. So <c>1MB</c> is 1048576 and <c>1M</c> is 1000000.
/// </summary>
public static class SizeValue
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        text = text.Trim();
        var sign = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        var end = sign;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        if (end == sign || !long.TryParse(text.AsSpan(0, end), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        if (!TryMultiplier(text[end..].Trim(), out var multiplier)) return false;
        try
        {
            value = checked(number * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryMultiplier(string unit, out long multiplier)
    {
        multiplier = unit.ToLowerInvariant() switch
        {
            "" => 1,
            "k" => 1000L,
            "kb" or "ki" or "kib" => 1L << 10,
            "m" => 1000L * 1000,
            "mb" or "mi" or "mib" => 1L << 20,
            "g" => 1000L * 1000 * 1000,
            "gb" or "gi" or "gib" => 1L << 30,
            "t" => 1000L * 1000 * 1000 * 1000,
            "tb" or "ti" or "tib" => 1L << 40,
            "p" => 1000L * 1000 * 1000 * 1000 * 1000,
            "pb" or "pi" or "pib" => 1L << 50,
            "e" => 1000L * 1000 * 1000 * 1000 * 1000 * 1000,
            "eb" or "ei" or "eib" => 1L << 60,
            _ => 0,
        };
        return multiplier != 0;
    }

    /// <summary>A byte count the way a person would write it back in a config: 1MB, 64KB, or plain bytes.</summary>
    public static string Format(long bytes) => bytes switch
    {
        0 => "0",
        _ when bytes % (1L << 30) == 0 => $"{bytes >> 30}GB",
        _ when bytes % (1L << 20) == 0 => $"{bytes >> 20}MB",
        _ when bytes % (1L << 10) == 0 => $"{bytes >> 10}KB",
        _ => bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

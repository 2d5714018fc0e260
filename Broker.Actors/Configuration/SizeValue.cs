namespace Broker.Configuration;

/// <summary>nats-server's size forms: plain bytes, or K/KB, M/MB, G/GB, T/TB (powers of 1024, any case).</summary>
public static class SizeValue
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        text = text.Trim();
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), out var number)) return false;
        long multiplier = text[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1L << 10,
            "M" or "MB" => 1L << 20,
            "G" or "GB" => 1L << 30,
            "T" or "TB" => 1L << 40,
            _ => 0,
        };
        if (multiplier == 0 || number > long.MaxValue / multiplier) return false;
        value = number * multiplier;
        return true;
    }
}

using Microsoft.AspNetCore.WebUtilities;

namespace Broker.Monitoring;

/// <summary>
/// A monitoring request's query, read as nats-server reads it: the first value of a parameter,
/// empty when absent, and Go's <c>strconv</c> rules and error texts for numbers and booleans.
/// </summary>
public sealed class MonitorRequest
{
    private readonly Dictionary<string, string> _query;

    private MonitorRequest(Dictionary<string, string> query, DateTime now)
    {
        _query = query;
        Now = now;
    }

    /// <summary>The one "now" of this request, so every time in one answer agrees.</summary>
    public DateTime Now { get; }

    /// <summary>Parses a raw query string (<c>?a=1&amp;b=2</c> or without the <c>?</c>).</summary>
    public static MonitorRequest Parse(string? queryString, DateTime? now = null)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(queryString))
        {
            query[key] = values.Count > 0 ? values[0] ?? "" : "";
        }
        return new MonitorRequest(query, now ?? DateTime.UtcNow);
    }

    /// <summary>
    /// A request from values that did not come as a query string: the options JSON of a system
    /// account request, so an endpoint reads them with the same rules as over HTTP.
    /// </summary>
    public static MonitorRequest Of(IEnumerable<KeyValuePair<string, string>> values, DateTime? now = null)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values) query.TryAdd(key, value);
        return new MonitorRequest(query, now ?? DateTime.UtcNow);
    }

    /// <summary>The first value of the parameter, or "" (Go's <c>Query().Get</c>).</summary>
    public string Text(string name) => _query.TryGetValue(name, out var value) ? value : "";

    /// <summary>Go's <c>strconv.ParseBool</c>; empty is false.</summary>
    public bool Bool(string name)
    {
        var text = Text(name);
        return text switch
        {
            "" => false,
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw new MonitorQueryException(
                $"Error decoding boolean for '{name}': strconv.ParseBool: parsing {Quote(text)}: invalid syntax"),
        };
    }

    /// <summary>Go's <c>strconv.Atoi</c> (a 64-bit int, optional sign); empty is 0.</summary>
    public long Int(string name)
    {
        var text = Text(name);
        if (text.Length == 0) return 0;
        var negative = text[0] == '-';
        var digits = text[0] is '-' or '+' ? text.AsSpan(1) : text.AsSpan();
        if (!TryDigits(digits, out var magnitude))
        {
            throw new MonitorQueryException($"Error decoding int for '{name}': strconv.Atoi: parsing {Quote(text)}: invalid syntax");
        }
        if (magnitude is null || magnitude > (negative ? 9223372036854775808UL : long.MaxValue))
        {
            throw new MonitorQueryException($"Error decoding int for '{name}': strconv.Atoi: parsing {Quote(text)}: value out of range");
        }
        return negative ? (long)(0 - magnitude.Value) : (long)magnitude.Value;
    }

    /// <summary>Go's <c>strconv.ParseUint(s, 10, 64)</c> (no sign); empty is 0.</summary>
    public ulong UInt64(string name)
    {
        var text = Text(name);
        if (text.Length == 0) return 0;
        if (!TryDigits(text, out var value))
        {
            throw new MonitorQueryException($"Error decoding uint64 for '{name}': strconv.ParseUint: parsing {Quote(text)}: invalid syntax");
        }
        return value ?? throw new MonitorQueryException(
            $"Error decoding uint64 for '{name}': strconv.ParseUint: parsing {Quote(text)}: value out of range");
    }

    /// <summary>
    /// <c>subs</c> as /connz and /routez read it: <c>detail</c> for the detailed list, else a boolean.
    /// </summary>
    public (bool List, bool Detail) Subscriptions()
    {
        if (Text("subs").Equals("detail", StringComparison.OrdinalIgnoreCase)) return (false, true);
        return (Bool("subs"), false);
    }

    /// <summary>Only ASCII digits; a null value is a well-formed number that overflows 64 bits.</summary>
    private static bool TryDigits(ReadOnlySpan<char> digits, out ulong? value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        ulong result = 0;
        var overflow = false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
            if (result > (ulong.MaxValue - (ulong)(c - '0')) / 10) overflow = true;
            else result = result * 10 + (ulong)(c - '0');
        }
        value = overflow ? null : result;
        return true;
    }

    /// <summary>Go's <c>strconv.Quote</c> for the printable text a query usually holds.</summary>
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

using System.Collections;
using System.Text;

namespace Broker.InProcess;

/// <summary>
/// NATS message headers (the <c>NATS/1.0</c> block of HPUB/HMSG): names keep their case, a name
/// can repeat, and the first line may carry a status (503 for no responders). Immutable.
/// </summary>
public sealed class MessageHeaders : IReadOnlyDictionary<string, string[]>
{
    private static readonly byte[] Preamble = "NATS/1.0"u8.ToArray();

    private readonly Dictionary<string, string[]> _values;

    public static readonly MessageHeaders Empty = new(new Dictionary<string, string[]>(), 0, "");

    private MessageHeaders(Dictionary<string, string[]> values, int status, string description)
    {
        _values = values;
        Status = status;
        Description = description;
    }

    /// <summary>The status on the first line (e.g. 503); 0 when there is none.</summary>
    public int Status { get; }

    /// <summary>The text after the status, if any.</summary>
    public string Description { get; }

    /// <summary>Headers from name/value pairs; a name given twice keeps both values.</summary>
    public static MessageHeaders Of(params (string Name, string Value)[] pairs)
    {
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            Validate(name, value);
            values[name] = values.TryGetValue(name, out var existing) ? [.. existing, value] : [value];
        }
        return new MessageHeaders(values, 0, "");
    }

    /// <summary>Reads a header block as nats-server forwards it; lines it cannot read are skipped, as clients do.</summary>
    public static MessageHeaders Parse(ReadOnlySpan<byte> block)
    {
        var text = Encoding.UTF8.GetString(block);
        var lines = text.Split("\r\n");
        var status = 0;
        var description = "";
        if (lines.Length > 0 && lines[0].StartsWith("NATS/1.0", StringComparison.Ordinal))
        {
            var rest = lines[0]["NATS/1.0".Length..].Trim();
            if (rest.Length >= 3 && int.TryParse(rest.AsSpan(0, 3), out var code))
            {
                status = code;
                description = rest[3..].Trim();
            }
        }
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon <= 0) continue;
            var name = lines[i][..colon];
            var value = lines[i][(colon + 1)..].Trim();
            values[name] = values.TryGetValue(name, out var existing) ? [.. existing, value] : [value];
        }
        return new MessageHeaders(values, status, description);
    }

    /// <summary>The header block in wire form, ending with the blank line.</summary>
    public byte[] ToBytes()
    {
        var builder = new StringBuilder("NATS/1.0");
        if (Status != 0) builder.Append(' ').Append(Status).Append(Description.Length > 0 ? " " + Description : "");
        builder.Append("\r\n");
        foreach (var (name, values) in _values)
            foreach (var value in values) builder.Append(name).Append(": ").Append(value).Append("\r\n");
        builder.Append("\r\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>The first value of a header, or null.</summary>
    public string? First(string name) => _values.TryGetValue(name, out var v) && v.Length > 0 ? v[0] : null;

    public string[] this[string key] => _values[key];
    public IEnumerable<string> Keys => _values.Keys;
    public IEnumerable<string[]> Values => _values.Values;
    public int Count => _values.Count;
    public bool ContainsKey(string key) => _values.ContainsKey(key);
    public bool TryGetValue(string key, out string[] value) => _values.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() => _values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Names are tokens without ':' or whitespace; values stay on one line (they would break the block otherwise).</summary>
    private static void Validate(string name, string value)
    {
        if (name.Length == 0 || name.Any(c => c <= ' ' || c == ':' || c > '~'))
            throw new ArgumentException($"invalid header name \"{name}\"", nameof(name));
        if (value.Contains('\r') || value.Contains('\n'))
            throw new ArgumentException($"header \"{name}\" has a line break in its value", nameof(value));
    }

    internal static bool IsBlock(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Preamble);
}

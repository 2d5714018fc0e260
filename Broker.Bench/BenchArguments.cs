namespace Broker.Bench;

/// <summary><c>--name value</c> pairs after the command word; an unknown flag is an error, not a silent default.</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public BenchArguments(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var flag = e.Current;
            if (!flag.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{flag}'");
            if (!e.MoveNext()) throw new ArgumentException($"{flag} needs a value");
            _values[flag[2..]] = e.Current;
        }
    }

    public string String(string name, string fallback) => Get(name) ?? fallback;

    public string? Get(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public int Int(string name, int fallback) => Get(name) is { } v
        ? int.TryParse(v, out var n) && n > 0 ? n : throw new ArgumentException($"--{name} must be a positive integer, got '{v}'")
        : fallback;

    public double Double(string name, double fallback) => Get(name) is { } v
        ? double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new ArgumentException($"--{name} must be a positive number, got '{v}'")
        : fallback;

    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback) =>
        Get(name) is { } v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : fallback;

    /// <summary>Call after reading every flag: any flag given but never read was a typo.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown flag(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}

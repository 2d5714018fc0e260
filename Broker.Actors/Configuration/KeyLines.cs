namespace Broker.Configuration;

/// <summary>
/// Where each key of a configuration text is set: dotted path (as written) to its 1-based line.
/// When a key is set twice the last line wins, as the value does in HOCON.
/// </summary>
internal sealed class KeyLines
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    internal void Set(string path, int line) => _lines[path] = line;

    /// <summary>The line that sets <paramref name="path"/> (e.g. <c>authorization.timeout</c>), or null.</summary>
    public int? LineOf(string path) => _lines.TryGetValue(path, out var line) ? line : null;
}

namespace Broker.Configuration;

/// <summary>
/// Where each key of a configuration is set: dotted path (as written) to its 1-based line, and the
/// file that sets it when that is an included file. When a key is set twice the last one wins, as
/// the value does.
/// </summary>
internal sealed class KeyLines
{
    private readonly Dictionary<string, (int Line, string? Source)> _lines = new(StringComparer.Ordinal);

    internal void Set(string path, int line, string? source = null) => _lines[path] = (line, source);

    /// <summary>The line that sets <paramref name="path"/> (e.g. <c>authorization.timeout</c>), or null.</summary>
    public int? LineOf(string path) => _lines.TryGetValue(path, out var at) ? at.Line : null;

    /// <summary>The file that sets <paramref name="path"/>, or null when it is the one being loaded or unknown.</summary>
    public string? SourceOf(string path) => _lines.TryGetValue(path, out var at) ? at.Source : null;
}

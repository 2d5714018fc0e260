namespace Broker.Configuration;

/// <summary>
/// A configuration the broker refuses to start with. The message reads like nats-server's
/// (<c>broker.conf:12: max_payload: expected a size like "1MB", got "abc"</c>): source, line when
/// known, key when known, then the problem.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string sourceName, int? line, string? key, string problem)
        : base(Format(sourceName, line, key, problem))
    {
        SourceName = sourceName;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file path, or the name given to <see cref="BrokerConfigLoader.Parse"/>.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the offending key or syntax, when it could be found.</summary>
    public int? Line { get; }

    /// <summary>The offending key as a dotted path (<c>authorization.user</c>), when there is one.</summary>
    public string? Key { get; }

    /// <summary>The problem alone, without source, line and key.</summary>
    public string Problem { get; }

    private static string Format(string sourceName, int? line, string? key, string problem) =>
        $"{sourceName}{(line is null ? "" : $":{line}")}: {(key is null ? "" : key + ": ")}{problem}";
}

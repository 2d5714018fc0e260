namespace Broker.Configuration;

/// <summary>A configuration the broker refuses to start with; the message names the source, line and key.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string source, int? line, string? key, string problem)
        : base($"{source}{(line is null ? "" : $":{line}")}: {(key is null ? "" : key + ": ")}{problem}")
    {
        Source = source;
        Line = line;
        Key = key;
        Problem = problem;
    }

    public new string Source { get; }
    public int? Line { get; }
    public string? Key { get; }
    public string Problem { get; }
}

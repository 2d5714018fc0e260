using Akka.Configuration.Hocon;

namespace Broker.Configuration.NatsFormat;

/// <summary>A value with the file and line it was written on, for errors about one element of a list (a user's password).</summary>
internal class LocatedLiteral : HoconLiteral
{
    public LocatedLiteral(string text, int line, string source)
    {
        Value = text;
        Line = line;
        Source = source;
    }

    public int Line { get; }

    public string Source { get; }
}

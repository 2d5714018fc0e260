namespace Broker.Configuration.NatsFormat;

/// <summary>An unquoted integer as written (<c>1MB</c>), with the number nats-server makes of it.</summary>
internal sealed class NatsInteger(string written, long number, int line, string source) : LocatedLiteral(written, line, source)
{
    public long Number { get; } = number;
}

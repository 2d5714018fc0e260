using Akka.Configuration.Hocon;

namespace Broker.Configuration.NatsFormat;

/// <summary>An unquoted integer as written (<c>1MB</c>), with the number nats-server makes of it.</summary>
internal sealed class NatsInteger : HoconLiteral
{
    public NatsInteger(string written, long number)
    {
        Value = written;
        Number = number;
    }

    public long Number { get; }
}

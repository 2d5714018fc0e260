using Broker.Clients;

namespace Broker.Clients;

/// <summary>Messages and payload bytes received from clients and delivered to them.</summary>
public readonly record struct Traffic(long InMsgs, long InBytes, long OutMsgs, long OutBytes)
{
    public static Traffic Of(ClientConnection connection) =>
        new(connection.InMessages, connection.InBytes, connection.OutMessages, connection.OutBytes);

    public static Traffic operator +(Traffic a, Traffic b) =>
        new(a.InMsgs + b.InMsgs, a.InBytes + b.InBytes, a.OutMsgs + b.OutMsgs, a.OutBytes + b.OutBytes);
}

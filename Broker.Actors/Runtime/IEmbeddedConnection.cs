using Broker.Clients;

namespace Broker.Runtime;

/// <summary>
/// A connection that lives inside the process, with no socket (the in-process clients): monitoring
/// lists it next to network clients, and the broker's shutdown closes it with them.
/// </summary>
public interface IEmbeddedConnection
{
    ulong Id { get; }

    /// <summary>The connection as /connz shows it, now.</summary>
    ConnectionSnapshot Snapshot();

    /// <summary>Messages and bytes in (published) and out (delivered) so far, for /varz totals.</summary>
    Clients.Traffic Traffic { get; }

    /// <summary>Ends the connection because the broker is shutting down.</summary>
    void CloseForShutdown();
}

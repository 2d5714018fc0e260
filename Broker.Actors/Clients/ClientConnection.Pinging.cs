using Broker.Protocol;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    private int _pingsOutstanding;
    private volatile bool _pongReceived;
    private long _lastPingCheckTicks = Environment.TickCount64;

    /// <summary>
    /// The ping_interval tick, from the connection's actor. As in nats-server, recent client activity
    /// delays the PING; a client with more than ping_max PINGs unanswered is closed as stale.
    /// </summary>
    internal void OnPingTimer()
    {
        if (IsClosed) return;
        var now = Environment.TickCount64;
        var lastRead = Volatile.Read(ref _lastReadTicks);
        var activeSinceLastCheck = lastRead > _lastPingCheckTicks;
        _lastPingCheckTicks = now;
        // Like nats-server, the first PING goes out regardless (it measures the round trip).
        if (activeSinceLastCheck && _pongReceived && Volatile.Read(ref _pingsOutstanding) == 0) return;

        if (Volatile.Read(ref _pingsOutstanding) + 1 > _server.Options.PingMax)
        {
            _server.Log.Debug($"{Description} - Stale Client Connection - Closing");
            Close(CloseReason.StaleConnection, ProtocolErrors.StaleConnection);
            return;
        }
        Interlocked.Increment(ref _pingsOutstanding);
        var appended = _outbound.AppendProtocol(ProtocolBytes.Ping);
        if (appended == AppendResult.NeedsFlush) Flush();
        else if (appended == AppendResult.Full) OnSlowConsumer();
    }
}

using Akka.Actor;

namespace Broker.Clients;

/// <summary>
/// The actor of one client connection: starts its loops, runs its ping timer, and stops when the
/// connection closes. Stopping the actor (server shutdown, supervision) closes the connection.
/// </summary>
public sealed class ClientActor : ReceiveActor, IWithTimers
{
    private readonly ClientConnection _connection;
    private readonly TimeSpan _pingInterval;

    public static Props Props(ClientConnection connection, TimeSpan pingInterval) =>
        Akka.Actor.Props.Create(() => new ClientActor(connection, pingInterval));

    public ClientActor(ClientConnection connection, TimeSpan pingInterval)
    {
        _connection = connection;
        _pingInterval = pingInterval;
        Receive<PingTick>(_ => _connection.OnPingTimer());
        Receive<AuthTimeout>(_ => _connection.OnAuthTimeout());
        Receive<ConnectionClosed>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _connection.Start(Self);
        if (_pingInterval > TimeSpan.Zero) Timers.StartPeriodicTimer("ping", PingTick.Instance, _pingInterval);
        if (_connection.AuthTimeout is { } timeout) Timers.StartSingleTimer("auth", AuthTimeout.Instance, timeout);
    }

    protected override void PostStop() => _connection.Close(CloseReason.ServerShutdown);

    /// <summary>Time to check the client's liveness.</summary>
    public sealed class PingTick
    {
        public static readonly PingTick Instance = new();
        private PingTick() { }
    }

    /// <summary>Time for a client that must authenticate to have sent CONNECT.</summary>
    public sealed class AuthTimeout
    {
        public static readonly AuthTimeout Instance = new();
        private AuthTimeout() { }
    }

    /// <summary>The connection's socket is closed and its subscriptions are gone.</summary>
    public sealed class ConnectionClosed
    {
        public static readonly ConnectionClosed Instance = new();
        private ConnectionClosed() { }
    }
}

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
        Receive<ArmExpiry>(m => Timers.StartSingleTimer("expiry", ExpiryDue.Instance, m.Wait));
        Receive<ExpiryDue>(_ => _connection.OnExpiryDue());
        Receive<ConnectionClosed>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _connection.Start(Self);
        if (_pingInterval > TimeSpan.Zero) Timers.StartPeriodicTimer("ping", PingTick.Instance, FirstPingDelay(_pingInterval), _pingInterval);
        if (_connection.AuthTimeout is { } timeout) Timers.StartSingleTimer("auth", AuthTimeout.Instance, timeout);
    }

    /// <summary>
    /// nats-server's first PING to a client goes out after at most 2 s (that is how /connz has an rtt
    /// early), offset by up to a fifth at random so that clients connected together are not pinged together.
    /// </summary>
    internal static TimeSpan FirstPingDelay(TimeSpan pingInterval)
    {
        var first = pingInterval < FirstClientPingInterval ? pingInterval : FirstClientPingInterval;
        return first + TimeSpan.FromTicks(Random.Shared.NextInt64(first.Ticks / 5 + 1));
    }

    private static readonly TimeSpan FirstClientPingInterval = TimeSpan.FromSeconds(2);

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

    /// <summary>(Re)starts the timer of the connection's JWT expiry (see ClientConnection.Expiry.cs).</summary>
    public sealed record ArmExpiry(TimeSpan Wait);

    /// <summary>Time to check whether the connection's user or account JWT ran out.</summary>
    public sealed class ExpiryDue
    {
        public static readonly ExpiryDue Instance = new();
        private ExpiryDue() { }
    }

    /// <summary>The connection's socket is closed and its subscriptions are gone.</summary>
    public sealed class ConnectionClosed
    {
        public static readonly ConnectionClosed Instance = new();
        private ConnectionClosed() { }
    }
}

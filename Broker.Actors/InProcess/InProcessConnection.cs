using Broker.Clients;
using Broker.Runtime;
using Broker.Accounts;
using Broker.Logging;
using Broker.Monitoring;
using Broker.Security;
using Broker.Server;
using Broker.Subjects;

namespace Broker.InProcess;

/// <summary>
/// A connection of the application's own code to the broker, without a socket: bound to an
/// account (and a user's permissions and limits), it publishes straight into the account's
/// subscription index and subscribes with in-process targets (a stream, an actor, a responder).
/// It counts as a connection of its account, appears in /connz with kind "InProcess", and the
/// broker's shutdown closes it. Thread-safe: any thread may publish; each publisher's messages
/// keep their order.
/// </summary>
public sealed partial class InProcessConnection : IEmbeddedConnection, IAsyncDisposable
{
    private readonly ServerContext _server;
    private readonly long _startedTicks = Environment.TickCount64;
    private long _lastActivityTicks;
    private int _closed;
    private DateTime? _stopped;
    private string? _closeReason;
    private long _inMessages;
    private long _inBytes;
    private long _outMessages;
    private long _outBytes;

    internal InProcessConnection(ServerContext server, Account account, string? user, ClientPermissions? permissions, int maxPayload, int maxSubscriptions, string name)
    {
        _server = server;
        Account = account;
        User = user;
        Permissions = permissions;
        MaxPayload = maxPayload;
        _maxSubscriptions = maxSubscriptions;
        Name = name;
        Id = server.NextClientId();
        Description = $"in-process \"{name}\" - cid:{Id}";
        _delivery = new DeliveryContext(_publisher) { PausesForRoom = true };
        _lastActivityTicks = _startedTicks;
    }

    public ulong Id { get; }
    public string Name { get; }
    public Account Account { get; }

    /// <summary>The configured user this connection acts as; null for an account-bound (trusted) connection.</summary>
    public string? User { get; }

    internal ClientPermissions? Permissions { get; }
    public int MaxPayload { get; }
    public DateTime Started { get; } = DateTime.UtcNow;
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Log prefix, in the form of a network client's.</summary>
    public string Description { get; }

    internal ServerContext Server => _server;
    internal ServerLog Log => _server.Log;

    public long InMessages => Interlocked.Read(ref _inMessages);
    public long OutMessages => Interlocked.Read(ref _outMessages);

    internal void CountOut(int bytes)
    {
        Interlocked.Increment(ref _outMessages);
        Interlocked.Add(ref _outBytes, bytes);
    }

    /// <summary>Closes the connection: its subscriptions leave the index and their streams complete. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        Close("Client Closed");
        return ValueTask.CompletedTask;
    }

    void IEmbeddedConnection.CloseForShutdown() => Close("Server Shutdown");

    private void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        var snapshotSubscriptions = SubscriptionSnapshots();
        lock (_subscriptionsGate)
        {
            _stopped = DateTime.UtcNow;
            _closeReason = reason;
        }
        RemoveAllSubscriptions();
        FailPendingRequests();
        Account.ConnectionClosed();
        _server.EmbeddedConnections.TryRemove(Id, out _);
        _server.Stats.Retire(this);
        _server.ClosedConnections.Add(Snapshot(snapshotSubscriptions));
        _server.Log.Debug($"{Description} - Client connection closed: {reason}");
    }

    internal void Opened()
    {
        Account.ConnectionOpened();
        _server.Stats.ConnectionAccepted();
        _server.Stats.Track(this);
        _server.EmbeddedConnections[Id] = this;
        _server.Log.Debug($"{Description} - Client connection created");
    }

    internal void ThrowIfClosed()
    {
        if (IsClosed) throw new ConnectionClosedException();
    }

    public ConnectionSnapshot Snapshot() => Snapshot(SubscriptionSnapshots());

    public Traffic Traffic => new(InMessages, Interlocked.Read(ref _inBytes), OutMessages, Interlocked.Read(ref _outBytes));

    private ConnectionSnapshot Snapshot(SubscriptionSnapshot[] subscriptions)
    {
        DateTime? stopped;
        string? reason;
        lock (_subscriptionsGate)
        {
            stopped = _stopped;
            reason = _closeReason;
        }
        return new ConnectionSnapshot(
            Id, "", 0, Started, Started.AddMilliseconds(Volatile.Read(ref _lastActivityTicks) - _startedTicks), stopped, reason,
            TimeSpan.Zero, PendingBytes, Traffic,
            subscriptions, Name, "dotnet-inprocess", ServerContext.ProtocolVersion, User, Account.Name)
        {
            Kind = "InProcess",
            Type = null,
        };
    }
}

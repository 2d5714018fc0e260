using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Broker.Accounts;
using Broker.Protocol;
using Broker.Subjects;
using Broker.Transport;

namespace Broker.Clients;

/// <summary>
/// One client connection's I/O and protocol state. Its <see cref="ClientActor"/> owns the
/// lifecycle and timers; the read loop (Reading.cs) parses and publishes on its own thread;
/// whichever thread flushes first writes the <see cref="OutboundBuffer"/> out (Writing.cs).
/// </summary>
public sealed partial class ClientConnection : Subscriber, IServiceClient
{
    private readonly Socket _socket;
    private ClientTransport _transport;
    private readonly IClientHost _server;
    private readonly OutboundBuffer _outbound;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _readCancel = new();
    private IActorRef _actor = ActorRefs.Nobody;
    private int _closed;

    public ClientConnection(Socket socket, IClientHost server, ulong id)
    {
        _socket = socket;
        _transport = new ClientTransport.Plain(socket);
        _server = server;
        Id = id;
        Account = server.GlobalAccount;
        _outbound = new OutboundBuffer(server.Options.MaxPending);
        _delivery = new DeliveryContext(this) { PausesForRoom = true };
        _maxPayload = server.Options.MaxPayload;
        _maxSubscriptions = server.Options.MaxSubscriptions;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        Description = $"{RemoteEndPoint} - cid:{id}";
    }

    public ulong Id { get; }
    public Account Account { get; private set; }
    public IPEndPoint? RemoteEndPoint { get; }
    public ConnectOptions Options { get; private set; } = ConnectOptions.Defaults;
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public override bool TakesMessages => !IsClosed;
    public CloseReason? ClosedBy { get; private set; }

    /// <summary>Completes when the socket is closed and the connection's subscriptions are gone.</summary>
    public Task Completion => _completion.Task;

    public long InMessages { get; private set; }
    public long InBytes { get; private set; }
    public long OutMessages => _outbound.OutMessages;
    public long PendingBytes => _outbound.PendingBytes;

    /// <summary>Log prefix in nats-server's form: <c>127.0.0.1:5432 - cid:7</c>.</summary>
    public string Description { get; }

    /// <summary>Sends INFO and starts the loops. Called once by the connection's actor.</summary>
    internal void Start(IActorRef actor)
    {
        _actor = actor;
        Account.ConnectionOpened();
        if (_server.Authenticator.NeedsNonce) _nonce = Security.Nonce.Create();
        var info = _server.CreateInfo(Id, RemoteEndPoint?.Address.ToString(), _nonce);
        if (_server.Options.Tls is { } tls)
        {
            _ = Task.Run(() => StartTlsAsync(info.ToFrame(), tls));
            return;
        }
        _outbound.AppendProtocol(info.ToFrame());
        Flush();
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>INFO in the clear, then the handshake; the loops start once the connection is encrypted.</summary>
    private async Task StartTlsAsync(byte[] info, Configuration.TlsOptions tls)
    {
        try
        {
            await _socket.SendAsync(info, SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close(CloseReason.WriteError);
            return;
        }
        if (!await UpgradeToTlsAsync(tls).ConfigureAwait(false))
        {
            Close(CloseReason.TlsHandshakeError);
            return;
        }
        _ = ReadLoopAsync();
    }

    /// <summary>
    /// Closes the connection once: an optional -ERR goes out after what is already queued (or
    /// instead of it, for slow consumers), subscriptions leave the index, and the socket closes.
    /// </summary>
    public void Close(CloseReason reason, string? error = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        ClosedBy = reason;
        var slow = reason is CloseReason.SlowConsumerPendingBytes or CloseReason.SlowConsumerWriteDeadline;
        _outbound.Seal(discard: slow);
        if (error is not null) _outbound.AppendFinal(ProtocolErrors.Frame(error));
        _readCancel.Cancel();
        RemoveAllSubscriptions();
        // A writer drains what is left (the -ERR at least) and then closes the socket.
        TryStartWriting();
        LogClose(reason, error);
    }

    public override void Flush()
    {
        _outbound.FlushRequested();
        TryStartWriting();
    }

    private void LogClose(CloseReason reason, string? error)
    {
        var log = _server.Log;
        if (error is not null && reason != CloseReason.ServerShutdown) log.Error($"{Description} - {error}");
        log.Debug($"{Description} - Client connection closed: {reason}");
    }

    private void Finished()
    {
        Account.ConnectionClosed();
        _server.ConnectionFinished(this);
        _completion.TrySetResult();
        // After the completion: the system events actor uses it to tell a late connect from a live one.
        _server.SystemEvents?.Tell(new ClientDisconnected(this));
        _actor.Tell(ClientActor.ConnectionClosed.Instance);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;

namespace Broker.Cluster;

/// <summary>
/// One peer node as monitoring sees it (a nats-server route): who it is, since when it is
/// connected, the interest it sent, and the messages that crossed in each direction. Written by
/// the cluster node actor (interest, inbound batches) and by publishers' threads (outbound
/// batches), read by /routez and /varz on the HTTP threads; every field is safe to read anytime.
/// Counters move once per batch, not per message, so the publish path pays one atomic add per flush.
/// </summary>
public sealed class ClusterRoute
{
    private readonly ConcurrentDictionary<InterestEntry, byte> _interest = new();
    private readonly IActorRef? _peer;
    private long _inMsgs;
    private long _inBytes;
    private long _outMsgs;
    private long _outBytes;
    private long _lastActivityTicks;
    private long _rttTicks = -1;
    private long _rttMeasuredAt; // Stopwatch timestamp; 0: never
    private int _measuring;

    public ClusterRoute(ulong rid, string node, string host, int port, string clientUrl, bool isConfigured, DateTime connectedAt, IActorRef? peer = null)
    {
        _peer = peer;
        Rid = rid;
        Node = node;
        Host = host;
        Port = port;
        ClientUrl = clientUrl;
        IsConfigured = isConfigured;
        ConnectedAt = connectedAt;
        _lastActivityTicks = connectedAt.Ticks;
    }

    /// <summary>The route's id, taken from the client id sequence as nats-server does (its <c>rid</c> is a connection id).</summary>
    public ulong Rid { get; }

    /// <summary>The peer's node id: its Akka address.</summary>
    public string Node { get; }

    /// <summary>The peer's cluster endpoint (its Akka address's host and port).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>Where the peer takes clients (its INFO <c>connect_urls</c> entry).</summary>
    public string ClientUrl { get; }

    /// <summary>True when the peer's endpoint is one of this node's configured <c>routes</c>.</summary>
    public bool IsConfigured { get; }

    /// <summary>When the peer's Hello arrived: from then on interest and messages flow.</summary>
    public DateTime ConnectedAt { get; }

    public long InMsgs => Interlocked.Read(ref _inMsgs);
    public long InBytes => Interlocked.Read(ref _inBytes);
    public long OutMsgs => Interlocked.Read(ref _outMsgs);
    public long OutBytes => Interlocked.Read(ref _outBytes);

    /// <summary>The last batch sent or received, or the connection time before any.</summary>
    public DateTime LastActivity => new(Interlocked.Read(ref _lastActivityTicks), DateTimeKind.Utc);

    /// <summary>Distinct (account, subject, queue) interests the peer holds here (<c>subscriptions</c>).</summary>
    public int InterestCount => _interest.Count;

    /// <summary>The peer's interest, for <c>subscriptions_list</c>.</summary>
    public IReadOnlyList<InterestEntry> Interest => _interest.Keys.ToArray();

    /// <summary>The last measured round trip to the peer; zero until one is measured (nats-server shows "0s" before its first PONG).</summary>
    public TimeSpan Rtt => TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref _rttTicks)));

    /// <summary>
    /// Measures the round trip anew when the last measurement is older than <paramref name="maxAge"/>;
    /// the answer shows in later reads (nats-server too shows the RTT of its last PING, not a live one).
    /// An <see cref="Identify"/> is answered by the peer's cluster actor itself, in its mailbox's order,
    /// as nats-server's PONG comes through the route's read loop.
    /// </summary>
    public void RefreshRtt(TimeSpan maxAge)
    {
        var measuredAt = Interlocked.Read(ref _rttMeasuredAt);
        if (_peer is null || (measuredAt != 0 && Stopwatch.GetElapsedTime(measuredAt) < maxAge)) return;
        if (Interlocked.Exchange(ref _measuring, 1) == 1) return;
        var started = Stopwatch.GetTimestamp();
        Task<ActorIdentity> asked;
        try
        {
            asked = _peer.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The ActorSystem is stopping: no measurement, and the next read may try again.
            Volatile.Write(ref _measuring, 0);
            return;
        }
        asked.ContinueWith(
            answer =>
            {
                if (answer.IsCompletedSuccessfully) Interlocked.Exchange(ref _rttTicks, Stopwatch.GetElapsedTime(started).Ticks);
                else _ = answer.Exception; // a peer gone or a system stopping: no measurement, and nothing left unobserved
                Interlocked.Exchange(ref _rttMeasuredAt, Stopwatch.GetTimestamp());
                Volatile.Write(ref _measuring, 0);
            },
            TaskScheduler.Default);
    }

    /// <summary>A batch of <paramref name="messages"/> messages (bodies totalling <paramref name="bytes"/>) left for the peer.</summary>
    public void Sent(int messages, long bytes)
    {
        Interlocked.Add(ref _outMsgs, messages);
        Interlocked.Add(ref _outBytes, bytes);
        Volatile.Write(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
    }

    /// <summary>A batch came from the peer.</summary>
    public void Received(int messages, long bytes)
    {
        Interlocked.Add(ref _inMsgs, messages);
        Interlocked.Add(ref _inBytes, bytes);
        Volatile.Write(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
    }

    /// <summary>The peer gained an interest held here (called by its <see cref="RemoteNode"/>).</summary>
    public void Interested(InterestEntry entry) => _interest.TryAdd(entry, 0);

    /// <summary>The peer lost an interest.</summary>
    public void NotInterested(InterestEntry entry) => _interest.TryRemove(entry, out _);
}

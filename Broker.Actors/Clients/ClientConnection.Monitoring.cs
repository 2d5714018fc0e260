using System.Net.Sockets;
using System.Runtime.InteropServices;
using Broker.Subjects;

namespace Broker.Clients;

/// <summary>
/// What the monitoring endpoints read about a connection (/connz, /subsz). Nothing here runs on
/// the message path: each member is computed when a monitoring request asks, and the close-time
/// snapshot is taken once, when the connection closes.
/// </summary>
public sealed partial class ClientConnection
{
    /// <summary>Linux <c>getsockopt(IPPROTO_TCP, TCP_INFO)</c>; <c>tcpi_rtt</c> (µs) is the u32 at byte 68.</summary>
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const int TcpInfoRttOffset = 68;

    private readonly long _startedTicks = Environment.TickCount64;
    private Subscription[]? _subscriptionsAtClose;
    private TimeSpan _roundTripAtClose;
    private DateTime? _stopped;

    /// <summary>When the socket was accepted (the connection is made right after accept).</summary>
    public DateTime Started { get; } = DateTime.UtcNow;

    /// <summary>When the client last sent anything (millisecond resolution).</summary>
    public DateTime LastActivity => Started.AddMilliseconds(Volatile.Read(ref _lastReadTicks) - _startedTicks);

    /// <summary>Message payload bytes queued to this client (the partner of <see cref="OutMessages"/>).</summary>
    public long OutBytes => _outbound.OutBytes;

    /// <summary>When the connection closed; null while it is open (and before <see cref="KeepStateAtClose"/>).</summary>
    public DateTime? Stopped
    {
        get { lock (_subscriptionsGate) return _stopped; }
    }

    /// <summary>
    /// The kernel's smoothed round-trip time of the socket (Linux TCP_INFO; zero elsewhere or
    /// when unknown). nats-server measures RTT with its own PING; the kernel's figure needs no
    /// extra traffic and is as fresh as the last ACK.
    /// </summary>
    public TimeSpan RoundTrip
    {
        get
        {
            lock (_subscriptionsGate)
            {
                if (_stopped is not null) return _roundTripAtClose;
            }
            return SocketRoundTrip();
        }
    }

    /// <summary>The subscriptions now, or those the connection had when it closed.</summary>
    public Subscription[] Subscriptions
    {
        get
        {
            lock (_subscriptionsGate) return _subscriptionsAtClose ?? [.. _subscriptions.Values];
        }
    }

    /// <summary>
    /// Asks for a snapshot at close: the stop time, the round trip and the subscriptions, which
    /// /connz keeps for closed connections as nats-server does. Close cancels the read loop's
    /// token before it empties the subscription list, so a callback on that token still sees it.
    /// </summary>
    internal void KeepStateAtClose() => _readCancel.Token.Register(static c => ((ClientConnection)c!).OnClosing(), this);

    private void OnClosing()
    {
        var roundTrip = SocketRoundTrip();
        lock (_subscriptionsGate)
        {
            _subscriptionsAtClose = [.. _subscriptions.Values];
            _roundTripAtClose = roundTrip;
            _stopped = DateTime.UtcNow;
        }
    }

    private TimeSpan SocketRoundTrip()
    {
        if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
        Span<byte> info = stackalloc byte[256];
        try
        {
            var length = _socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            if (length < TcpInfoRttOffset + 4) return TimeSpan.Zero;
            return TimeSpan.FromMicroseconds(MemoryMarshal.Read<uint>(info[TcpInfoRttOffset..]));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return TimeSpan.Zero;
        }
    }
}

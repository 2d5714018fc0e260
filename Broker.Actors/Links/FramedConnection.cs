using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Broker.Links;

/// <summary>
/// One framed TCP connection of a link, a gateway's or a cluster node's data path, either
/// direction: a read loop that hands whole frames to its owner on the loop's thread, and a write
/// loop fed by a queue, so senders (publishers' threads among them) never block on the network.
/// Past <see cref="CrowdedAt"/> queued bytes the connection is crowded: publishers that can pause
/// wait (<see cref="WaitForRoomAsync"/>) while it drains, as they do for a client subscriber. A
/// queue past <see cref="MaxPendingBytes"/> (senders that cannot pause, or a link stalled past every
/// grace) means the other side cannot keep up: the connection is closed and rebuilt rather than
/// growing without bound.
/// </summary>
internal sealed class FramedConnection
{
    private const long MaxPendingBytes = 256L * 1024 * 1024;

    /// <summary>Publishers pause past this much queued output: enough to keep a fast link's socket busy between their reads.</summary>
    public const long CrowdedAt = 8L * 1024 * 1024;

    /// <summary>Paused publishers resume once the queue fell to this: not on every frame written.</summary>
    private const long ResumeAt = 4L * 1024 * 1024;

    private readonly RoomWaiter _room;

    private readonly Socket _socket;
    private readonly IFramedConnectionOwner _owner;
    private readonly Channel<Outgoing> _outgoing = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closing = new();
    private long _pendingBytes;
    private long _lastActivityTicks;
    private long _lastReceived = Environment.TickCount64;
    private int _closed;
    private bool _running;
    // TLS, when the link has it: reads and writes go through it instead of the socket.
    private Stream? _stream;

    public FramedConnection(Socket socket, IFramedConnectionOwner owner, bool outbound)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _owner = owner;
        _room = new RoomWaiter(() => IsClosed || Interlocked.Read(ref _pendingBytes) <= ResumeAt);
        Outbound = outbound;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        Remote = socket.RemoteEndPoint?.ToString() ?? "?";
        Started = DateTime.UtcNow;
        _lastActivityTicks = Started.Ticks;
    }

    /// <summary>The connection's id for monitoring (/gatewayz <c>cid</c>), from the server's client id sequence as nats-server's.</summary>
    public ulong Cid { get; init; }

    /// <summary>The other side's address (/gatewayz <c>ip</c>, <c>port</c>); null if the socket had none.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The last read or write on the socket (/gatewayz <c>last_activity</c>): set once per read and per frame sent, never per message.</summary>
    public DateTime LastActivity => new(Volatile.Read(ref _lastActivityTicks), DateTimeKind.Utc);

    /// <summary>Bytes queued and not yet written (/gatewayz <c>pending_bytes</c>).</summary>
    public long PendingBytes => Math.Max(0, Interlocked.Read(ref _pendingBytes));

    public bool Outbound { get; }
    public string Remote { get; }
    public DateTime Started { get; }
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Connected and started (<see cref="Start"/>): frames flow, until <see cref="IsClosed"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _running);

    /// <summary>
    /// The longest frame accepted from the peer: <see cref="LinkFrames.MaxHandshakeFrame"/> on a
    /// connection that starts with a handshake, until its owner has admitted the peer.
    /// </summary>
    public int FrameLimit { get; set; } = LinkFrames.MaxFrame;

    /// <summary>
    /// Bounds the handshake in size and time: frames stay small, and the connection closes after
    /// <paramref name="within"/> unless <paramref name="admitted"/> holds by then.
    /// </summary>
    public void RequireHandshake(TimeSpan within, Func<bool> admitted)
    {
        FrameLimit = LinkFrames.MaxHandshakeFrame;
        Task.Delay(within, _closing.Token).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully && !admitted()) Close($"no handshake within {within.TotalSeconds:0.###}s");
        }, TaskScheduler.Default);
    }

    /// <summary>Whether publishers should pause for this connection: past <see cref="CrowdedAt"/> queued bytes.</summary>
    public bool IsCrowded => Interlocked.Read(ref _pendingBytes) > CrowdedAt;

    /// <summary>
    /// A publisher's pause for this crowded connection: returns once the queue fell to the resume
    /// mark, the connection closed, or after <paramref name="pause"/> at most. Unlike a client
    /// subscriber's, a link that made no progress is still waited on, each time for that long: it
    /// stalls because the far side pauses for a subscriber that drains (the far side stops waiting
    /// on a stuck one by itself), and a publisher that ran free instead would fill the link until
    /// it is rebuilt, losing every message on it. A dead link is found by its pings.
    /// </summary>
    public Task WaitForRoomAsync(TimeSpan pause) => _room.WaitAsync(pause);

    /// <summary>The writer moved: paused publishers go on once the queue is down to the resume mark (or the connection closed).</summary>
    private void Progressed() => _room.Progressed();

    public long InMessages;
    public long OutMessages;
    public long InBytes;
    public long OutBytes;

    /// <summary>
    /// Starts reading and writing, and pinging every <paramref name="pingInterval"/>: a link that
    /// hears nothing for <paramref name="pingMax"/> intervals after that is stale (a peer cut off
    /// without a reset, which TCP alone would not notice) and is closed, as nats-server does.
    /// </summary>
    public void Start(TimeSpan pingInterval, int pingMax)
    {
        if (IsClosed) return;
        Volatile.Write(ref _running, true);
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(WriteLoopAsync);
        _ = Task.Run(() => PingLoopAsync(pingInterval, pingMax));
    }

    /// <summary>Reads and writes go through <paramref name="stream"/> (TLS over the socket) from now on; called before <see cref="Start"/>.</summary>
    public void Over(Stream stream) => _stream = stream;

    /// <summary>Milliseconds since anything arrived on this connection (monitoring).</summary>
    public long IdleMilliseconds => Environment.TickCount64 - Volatile.Read(ref _lastReceived);

    private async Task PingLoopAsync(TimeSpan interval, int pingMax)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                if (IdleMilliseconds > interval.TotalMilliseconds * (pingMax + 1))
                {
                    Close("stale connection: nothing heard for too long");
                    return;
                }
                Send(LinkFrames.PingFrame);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Queues a whole frame (header included) for sending; false when the connection is closed.</summary>
    public bool Send(byte[] frame) => Enqueue(new Outgoing(frame, frame.Length, Pooled: false));

    /// <summary>
    /// Completes once everything queued so far has been handed to the socket (a node leaving the
    /// cluster waits on it before it stops); never, if the connection closes first.
    /// </summary>
    public Task WhenWritten()
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Enqueue(new Outgoing([], 0, Pooled: false, written)) ? written.Task : Task.CompletedTask;
    }

    /// <summary>
    /// Queues a whole frame in the first <paramref name="length"/> bytes of a buffer rented from
    /// <see cref="ArrayPool{T}.Shared"/> (a link's batch): the connection returns the buffer once
    /// it is written, or at once when it is not queued (false: the connection is closed).
    /// </summary>
    public bool SendPooled(byte[] buffer, int length)
    {
        if (Enqueue(new Outgoing(buffer, length, Pooled: true))) return true;
        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    private bool Enqueue(Outgoing frame)
    {
        if (IsClosed) return false;
        if (Interlocked.Add(ref _pendingBytes, frame.Length) > MaxPendingBytes)
        {
            Close("the other side does not read fast enough");
            return false;
        }
        return _outgoing.Writer.TryWrite(frame);
    }

    /// <summary>
    /// Takes every queued frame off a connection that was never started, as its writer would once
    /// they were written (pooled buffers go back to the pool): a measuring harness's stand-in for
    /// the socket. Returns the bytes taken.
    /// </summary>
    internal long DiscardQueued()
    {
        long bytes = 0;
        while (!IsRunning && _outgoing.Reader.TryRead(out var frame))
        {
            if (frame.Pooled) ArrayPool<byte>.Shared.Return(frame.Bytes);
            bytes += frame.Length;
        }
        Interlocked.Add(ref _pendingBytes, -bytes);
        return bytes;
    }

    /// <summary>
    /// A queued frame: the first <paramref name="Length"/> bytes of <paramref name="Bytes"/>; a pooled
    /// buffer goes back to the pool once written. An empty one with <paramref name="Written"/> marks a
    /// point in the queue, completed once what came before it is written.
    /// </summary>
    private readonly record struct Outgoing(byte[] Bytes, int Length, bool Pooled, TaskCompletionSource? Written = null);

    public void Close(string why)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _outgoing.Writer.TryComplete();
        _closing.Cancel();
        Progressed();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _stream?.Dispose();
        _owner.OnClosed(this, why);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        try
        {
            while (!IsClosed)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = _stream is { } stream
                    ? await stream.ReadAsync(buffer.AsMemory(length), _closing.Token).ConfigureAwait(false)
                    : await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, _closing.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    Close("closed by the other side");
                    return;
                }
                length += read;
                Volatile.Write(ref _lastReceived, Environment.TickCount64);
                Volatile.Write(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
                var offset = 0;
                while (length - offset >= 4)
                {
                    var size = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset));
                    if (size < 1 || size > FrameLimit)
                    {
                        Close($"bad frame length {size}");
                        return;
                    }
                    if (length - offset - 4 < size)
                    {
                        if (4 + size > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, 4 + size));
                        break;
                    }
                    var type = buffer[offset + 4];
                    if (type != LinkFrames.Ping)
                    {
                        // The owner may hold this frame back until what earlier frames started is done.
                        if (_owner.WaitBefore(this, type) is { IsCompleted: false } wait)
                        {
                            await wait.ConfigureAwait(false);
                            if (IsClosed) return;
                        }
                        _owner.OnFrame(this, type, buffer.AsSpan(offset + LinkFrames.HeaderSize, size - 1));
                        // Subscribers here that are still draining slow this link's reading down, as a client publisher's.
                        if (_owner.WaitAfter(this) is { IsCompleted: false } room)
                        {
                            await room.ConfigureAwait(false);
                            if (IsClosed) return;
                        }
                    }
                    offset += 4 + size;
                }
                if (offset > 0)
                {
                    buffer.AsSpan(offset, length - offset).CopyTo(buffer);
                    length -= offset;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Close(e.Message);
        }
        catch (Exception e)
        {
            // A frame that does not decode: the peer is broken; this link goes, the server stays.
            Close($"bad frame: {e.Message}");
        }
    }

    /// <summary>Writes what is queued; whatever piled up during the last write goes out in one gathered send.</summary>
    private async Task WriteLoopAsync()
    {
        const int MostPerSend = 64;
        var reader = _outgoing.Reader;
        var gathered = new List<ArraySegment<byte>>(MostPerSend);
        var written = new List<byte[]>(MostPerSend);
        var marks = new List<TaskCompletionSource>();
        try
        {
            while (await reader.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                long bytes = 0;
                while (gathered.Count < MostPerSend && reader.TryRead(out var frame))
                {
                    if (frame.Written is { } mark)
                    {
                        marks.Add(mark);
                        continue;
                    }
                    gathered.Add(new ArraySegment<byte>(frame.Bytes, 0, frame.Length));
                    if (frame.Pooled) written.Add(frame.Bytes);
                    bytes += frame.Length;
                }
                if (gathered.Count == 0)
                {
                    CompleteMarks(marks);
                    continue;
                }
                if (_stream is { } stream)
                {
                    foreach (var frame in gathered) await stream.WriteAsync(frame, _closing.Token).ConfigureAwait(false);
                    await stream.FlushAsync(_closing.Token).ConfigureAwait(false);
                }
                else
                {
                    await _socket.SendAsync(gathered, SocketFlags.None).WaitAsync(_closing.Token).ConfigureAwait(false);
                }
                gathered.Clear();
                // Written: the socket (or TLS) no longer reads them. A write that failed leaves its buffers to the GC.
                foreach (var buffer in written) ArrayPool<byte>.Shared.Return(buffer);
                written.Clear();
                Interlocked.Add(ref _pendingBytes, -bytes);
                Volatile.Write(ref _lastActivityTicks, DateTime.UtcNow.Ticks);
                Progressed();
                CompleteMarks(marks);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Close(e.Message);
        }
    }

    private static void CompleteMarks(List<TaskCompletionSource> marks)
    {
        foreach (var mark in marks) mark.TrySetResult();
        marks.Clear();
    }
}

/// <summary>What a <see cref="FramedConnection"/> reports to: each frame (on the read loop's thread) and its end (once).</summary>
internal interface IFramedConnectionOwner
{
    void OnFrame(FramedConnection connection, byte type, ReadOnlySpan<byte> body);

    /// <summary>
    /// A task the read loop awaits before handing over the next frame of <paramref name="type"/>
    /// (null: go on). A node connection holds messages back until the interest sent before them is applied.
    /// </summary>
    Task? WaitBefore(FramedConnection connection, byte type) => null;

    /// <summary>
    /// A task the read loop awaits after a frame was handed over (null: go on): the owner's
    /// subscribers that the frame crowded are given time to drain (bounded, see <see cref="Subjects.DeliveryContext.WaitForRoomAsync"/>).
    /// </summary>
    Task? WaitAfter(FramedConnection connection) => null;

    void OnClosed(FramedConnection connection, string why);
}

namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    /// <summary>
    /// How long a publisher waits for a crowded link at most, each time, as for a cluster link: a
    /// link that drains slowly is still waited on (the far side pauses for its own subscribers), a
    /// stuck one is cut by write_deadline.
    /// </summary>
    private static readonly TimeSpan LinkPause = TimeSpan.FromSeconds(1);

    private readonly object _roomGate = new();
    private TaskCompletionSource? _roomWaiter;

    /// <summary>Completes once the unsent output fell to the resume mark, the link closed, or after <see cref="LinkPause"/>.</summary>
    public override async Task WaitForRoomAsync()
    {
        var until = Environment.TickCount64 + (long)LinkPause.TotalMilliseconds;
        while (true)
        {
            TaskCompletionSource waiter;
            long waitMs;
            lock (_roomGate)
            {
                if (IsClosed || _outbound.HasRoom) return;
                waitMs = until - Environment.TickCount64;
                if (waitMs <= 0) return;
                waiter = _roomWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await waiter.Task.WaitAsync(TimeSpan.FromMilliseconds(waitMs)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The writer moved (or stopped): paused publishers go on once the output is down to the resume mark or the link closed.</summary>
    private void Progressed()
    {
        if (Volatile.Read(ref _roomWaiter) is null) return;
        TaskCompletionSource? waiter = null;
        lock (_roomGate)
        {
            if (IsClosed || _outbound.HasRoom)
            {
                waiter = _roomWaiter;
                _roomWaiter = null;
            }
        }
        waiter?.TrySetResult();
    }
}

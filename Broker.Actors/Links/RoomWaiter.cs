namespace Broker.Links;

/// <summary>
/// Publishers paused on a crowded writer (a node, gateway or leaf link): each waits, at most for
/// its pause, until the writer has room again, by the writer's own test (unsent output down to its
/// resume mark, or the link closed). One waiter serves every paused publisher; the writer calls
/// <see cref="Progressed"/> after each write, which costs nothing while nobody waits.
/// </summary>
internal sealed class RoomWaiter(Func<bool> hasRoom)
{
    private readonly object _gate = new();
    private TaskCompletionSource? _waiter;

    /// <summary>Completes once there is room, or after <paramref name="pause"/> at most.</summary>
    public async Task WaitAsync(TimeSpan pause)
    {
        var until = Environment.TickCount64 + (long)pause.TotalMilliseconds;
        while (true)
        {
            TaskCompletionSource waiter;
            long waitMs;
            lock (_gate)
            {
                if (hasRoom()) return;
                waitMs = until - Environment.TickCount64;
                if (waitMs <= 0) return;
                waiter = _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await waiter.Task.WaitAsync(TimeSpan.FromMilliseconds(waitMs)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The writer moved (or stopped): paused publishers go on if there is room now.</summary>
    public void Progressed()
    {
        if (Volatile.Read(ref _waiter) is null) return;
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            if (hasRoom())
            {
                waiter = _waiter;
                _waiter = null;
            }
        }
        waiter?.TrySetResult();
    }
}

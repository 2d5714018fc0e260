namespace Broker.Subjects;

/// <summary>
/// Counts a connection's subscription changes that its shard actors have not applied yet, so the
/// connection can wait for all of them before a PUB or PONG (operations take effect in order)
/// while still sending many SUBs to the shards back to back.
/// </summary>
public sealed class PendingChanges
{
    private readonly object _gate = new();
    private int _outstanding;
    private TaskCompletionSource? _drained;

    public bool IsEmpty => Volatile.Read(ref _outstanding) == 0;

    public void Expect() => Interlocked.Increment(ref _outstanding);

    /// <summary>Called by a shard actor once the change is visible to publishers.</summary>
    public void Applied()
    {
        if (Interlocked.Decrement(ref _outstanding) != 0) return;
        TaskCompletionSource? drained;
        lock (_gate)
        {
            drained = _drained;
            _drained = null;
        }
        drained?.TrySetResult();
    }

    public Task WhenAllApplied()
    {
        if (IsEmpty) return Task.CompletedTask;
        lock (_gate)
        {
            if (IsEmpty) return Task.CompletedTask;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }
}

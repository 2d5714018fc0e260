namespace Broker.Bench.Drivers;

/// <summary>
/// Wakes a publisher waiting for its subscribers to catch up. Subscribers call <see cref="Pulse"/>
/// after each receive batch; the publisher blocks instead of spinning, since on a small machine a
/// spinning generator steals the CPU the server needs.
/// </summary>
internal sealed class ProgressSignal
{
    private readonly ManualResetEventSlim _event = new(false, spinCount: 20);

    public void Pulse() => _event.Set();

    /// <summary>Waits until <paramref name="caughtUp"/> holds, or the deadline passes (false).</summary>
    public bool WaitUntil(Func<bool> caughtUp, DateTime deadline)
    {
        while (!caughtUp())
        {
            _event.Reset();
            if (caughtUp()) return true;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return false;
            _event.Wait(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
        }
        return true;
    }
}

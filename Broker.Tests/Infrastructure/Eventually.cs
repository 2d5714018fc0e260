namespace Broker.Tests.Infrastructure;

/// <summary>
/// Waits for a condition by polling it, with a deadline: synchronisation without fixed sleeps, for
/// state that gives no signal of its own (another process's output, a file, an HTTP endpoint).
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Reads a value until <paramref name="done"/> holds for it and returns that value; past the
    /// deadline, fails with <paramref name="describe"/> of the last value read.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> describe, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe(value));
            await Task.Delay(PollInterval);
        }
    }

    public static async Task Async(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(25);
        }
    }
}

using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>Publishes 0, 1, 2, ... to one subject in the background until stopped, about ten per millisecond.</summary>
public sealed class NumberedPublisher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publishing;
    private int _published;

    public NumberedPublisher(NatsConnection connection, string subject)
    {
        _publishing = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                for (var i = 0; i < 10; i++)
                {
                    await connection.PublishAsync(subject, _published.ToString());
                    Interlocked.Increment(ref _published);
                }
                // Pacing, not synchronisation: a steady stream the subscribers' buffers keep up with.
                await Task.Delay(1);
            }
        });
    }

    /// <summary>How many numbers have been handed to the client so far (the next one to go).</summary>
    public int Published => Volatile.Read(ref _published);

    /// <summary>Stops after the current number; returns how many were published (0 to the result, exclusive).</summary>
    public async Task<int> StopAsync()
    {
        _stop.Cancel();
        await _publishing.WaitAsync(TimeSpan.FromSeconds(10));
        return Published;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}

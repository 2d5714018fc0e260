using Broker.Tests.EndToEnd;
using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// A NATS.Net connection to one node of a process cluster, with the two signals a scenario needs
/// instead of sleeps: probes (publish until the interest is seen to have arrived) and end markers
/// (a message after the data to each receiver: per-publisher order means that once it arrived,
/// everything published before it to that receiver has too).
/// </summary>
public sealed class ScenarioConnection : IAsyncDisposable
{
    /// <summary>The payload of a probe message; recording subscriptions keep it out of their data.</summary>
    public const string Probe = "probe";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly List<RecordingSubscription> _subscriptions = new();
    private RecordingSubscription _end = null!;
    private bool _disposed;

    private ScenarioConnection(string name, NatsConnection connection)
    {
        Name = name;
        Connection = connection;
    }

    public string Name { get; }

    /// <summary>Unique per connection: end markers carry it.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N");

    public NatsConnection Connection { get; }

    private string EndSubject => $"end.{Id}";

    /// <summary>Connects and subscribes to its end-marker subject first, so that interest is ahead of any the scenario adds.</summary>
    public static async Task<ScenarioConnection> ConnectAsync(string name, string url, Func<NatsOpts, NatsOpts>? configure = null)
    {
        var connection = new ScenarioConnection(name, await NatsClients.ConnectAsync(url, configure));
        connection._end = await connection.SubscribeAsync("end", connection.EndSubject);
        return connection;
    }

    public async Task<RecordingSubscription> SubscribeAsync(string name, string subject, string? queue = null, NatsSubOpts? opts = null)
    {
        var subscription = new RecordingSubscription(name, await Connection.SubscribeCoreAsync<string>(subject, queueGroup: queue, opts: opts));
        _subscriptions.Add(subscription);
        return subscription;
    }

    public ValueTask PublishAsync(string subject, string data) => Connection.PublishAsync(subject, data);

    /// <summary>Publishes probes to <paramref name="subject"/> until <paramref name="reached"/> holds: the receivers' interest has reached this node.</summary>
    public async Task ProbeUntilAsync(string subject, Func<bool> reached, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            await PublishAsync(subject, Probe);
            var next = DateTime.UtcNow.AddMilliseconds(250);
            while (DateTime.UtcNow < next)
            {
                if (reached()) return;
                await Task.Delay(20);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: probes on {subject} never reached {what}");
        }
    }

    /// <summary>Until every receiver has got everything this connection published to it so far (an end marker after it arrived).</summary>
    public async Task FlushThroughAsync(params ScenarioConnection[] receivers)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var waiting = receivers.ToList();
        while (true)
        {
            // Sent again each round: harmless, and covers a marker subject whose interest is still on its way.
            foreach (var receiver in waiting) await PublishAsync(receiver.EndSubject, Id);
            var next = DateTime.UtcNow.AddMilliseconds(250);
            while (DateTime.UtcNow < next)
            {
                waiting.RemoveAll(r => r.HasEndMarkerFrom(Id));
                if (waiting.Count == 0) return;
                await Task.Delay(20);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name}: end markers never reached {string.Join(", ", waiting.Select(r => r.Name))}");
        }
    }

    // Whatever the client read before the marker already waits in the subscriptions' channels, for Collect.
    private bool HasEndMarkerFrom(string publisher) => _end.Payloads().Contains(publisher);

    public async ValueTask DisposeAsync()
    {
        // Once: a scenario may close a connection early to see its interest go.
        if (_disposed) return;
        _disposed = true;
        foreach (var subscription in _subscriptions) await subscription.DisposeAsync();
        await Connection.DisposeAsync();
    }
}

using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// A NATS.Net subscription whose messages are read on demand, in arrival order, with probes
/// (<see cref="ScenarioConnection.Probe"/>) counted apart from the data.
/// </summary>
public sealed class RecordingSubscription(string name, INatsSub<string> subscription) : IAsyncDisposable
{
    private readonly List<NatsMsg<string>> _data = new();
    private readonly HashSet<string> _probedSubjects = new(StringComparer.Ordinal);

    /// <summary>Names the subscription in outcomes, e.g. "B workers".</summary>
    public string Name { get; } = name;

    /// <summary>True once a probe published to <paramref name="subject"/> arrived here.</summary>
    public bool HasProbeOn(string subject)
    {
        Collect();
        lock (_data) return _probedSubjects.Contains(subject);
    }

    /// <summary>Every data message so far. Reads what the client has buffered, so a message that arrived before a later one on the same connection is in.</summary>
    public IReadOnlyList<NatsMsg<string>> Collect()
    {
        lock (_data)
        {
            while (subscription.Msgs.TryRead(out var msg))
            {
                if (msg.Data == ScenarioConnection.Probe) _probedSubjects.Add(msg.Subject);
                else _data.Add(msg);
            }
            return _data.ToArray();
        }
    }

    public IReadOnlyList<string> Payloads() => Collect().Select(m => m.Data ?? "").ToArray();

    public ValueTask DisposeAsync() => subscription.DisposeAsync();
}

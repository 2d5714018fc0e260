using Broker.Bench.Drivers;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Readiness across a cluster, by signal rather than by sleep: subscribes on each given node, then
/// publishes one probe at a time on the publishing node until a probe has reached every one of
/// those subscribers. Each node's interest travels to the others in the order it was registered
/// (nats-server's route protocol, Broker's interest exchange alike), so once this probe's interest
/// has arrived, every subscription made earlier on those nodes has arrived too.
/// <para>
/// With <c>queueGroups</c> each node's probe subscriber is a queue member (a group of its own per
/// node, so every node still gets each probe). That matters across nats-server gateways: in their
/// optimistic mode a region announces queue interest in order but not plain interest (plain
/// messages cross unless refused), so only a queue probe shows that earlier queue subscriptions
/// have reached the publishing region.
/// </para>
/// </summary>
internal static class InterestProbe
{
    /// <summary>How long one probe may take before the next is sent: a probe sent before interest arrived is dropped, not late.</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(25);

    public static async Task WaitAsync(ILoadDriver publishingNode, IReadOnlyList<ILoadDriver> subscribingNodes, string subject, DateTime deadline, bool queueGroups = false)
    {
        var signal = new ProgressSignal();
        var subscribers = new List<IBenchSubscriber>();
        IBenchPublisher? publisher = null;
        try
        {
            for (var i = 0; i < subscribingNodes.Count; i++)
                subscribers.Add(await subscribingNodes[i].SubscribeAsync(subject, queueGroups ? $"probe{i}" : null, signal));
            publisher = await publishingNode.CreatePublisherAsync(subject, 1);
            bool AllReached() => subscribers.TrueForAll(s => s.Received > 0);
            var probes = 0;
            while (!AllReached())
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"after {probes} probes on '{subject}', not all {subscribers.Count} subscribing node(s) had one: cluster not formed or interest not propagated");
                await publisher.PublishAsync(1);
                probes++;
                var wait = DateTime.UtcNow + ProbeInterval;
                await Task.Run(() => signal.WaitUntil(AllReached, wait < deadline ? wait : deadline));
            }
        }
        finally
        {
            publisher?.Dispose();
            foreach (var subscriber in subscribers) subscriber.Dispose();
        }
    }
}

using Broker.Clients;
using Broker.Server;
using Xunit.Abstractions;

namespace Broker.Tests.SlowConsumers;

/// <summary>
/// What <see cref="DrainingReaderScenario"/> must show on the subscribers' server wherever the
/// publisher is: every message to the fast and the draining reader, the stuck one cut as a slow
/// consumer near write_deadline, and no other slow consumer.
/// </summary>
public static class DrainingReaderExpectations
{
    /// <summary>Runs the scenario with the subscribers on <paramref name="subscribers"/> and asserts.</summary>
    public static async Task RunAndAssertAsync(BrokerServer subscribers, int publisherPort, Func<Task> interestArrived, ITestOutputHelper output)
    {
        var context = subscribers.Context;
        var existing = context.Connections.Keys.ToHashSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The first subscriber to connect is the stuck one.
        var stuckConnection = Task.Run(async () =>
        {
            while (true)
            {
                var mine = context.Connections.Where(c => !existing.Contains(c.Key)).Select(c => c.Value).ToArray();
                if (mine.Length > 0) return mine.MinBy(c => c.Id)!;
                await Task.Delay(5);
            }
        });
        var stuckCutAt = Task.Run(async () =>
        {
            var connection = await stuckConnection;
            await connection.Completion;
            return clock.Elapsed;
        });
        var slowBefore = context.Stats.SlowConsumers;

        var outcome = await DrainingReaderScenario.RunAsync(subscribers.ClientEndpoint.Port, publisherPort, interestArrived);
        var stuck = await stuckConnection;
        output.WriteLine(
            $"fast {outcome.Fast.Messages}, draining {outcome.Draining.Messages} (error {outcome.Draining.Error}, longest gap {outcome.Draining.LongestGap.TotalMilliseconds:F0} ms), " +
            $"stuck {outcome.Stuck.Messages} closed {outcome.Stuck.Closed} by {stuck.ClosedBy}; published in {outcome.PublishedIn.TotalMilliseconds:F0} ms, drained in {outcome.DrainedIn.TotalMilliseconds:F0} ms");

        Assert.Equal(DrainingReaderScenario.Count, outcome.Fast.Messages);
        Assert.Equal(DrainingReaderScenario.Count, outcome.Draining.Messages);
        Assert.False(outcome.Draining.Closed);
        Assert.Null(outcome.Draining.Error);
        Assert.True(outcome.Stuck.Closed, "the stuck reader must be cut off");
        Assert.True(outcome.Stuck.Messages < DrainingReaderScenario.Count);
        Assert.True(stuck.ClosedBy is CloseReason.SlowConsumerPendingBytes or CloseReason.SlowConsumerWriteDeadline, $"closed by {stuck.ClosedBy}");
        Assert.Equal(slowBefore + 1, context.Stats.SlowConsumers);
        var cutAt = await stuckCutAt.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"stuck cut at {cutAt.TotalMilliseconds:F0} ms");
        // Measured from before the subscribers connected, which includes waiting for their interest to cross.
        Assert.True(cutAt < DrainingReaderScenario.WriteDeadline + TimeSpan.FromSeconds(4), $"stuck reader cut only at {cutAt}");
    }
}

using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Broker.Tests.SlowConsumers;

/// <summary>
/// A subscriber that keeps reading, only slower than the publisher, is slowed down to and gets
/// everything; one that stopped reading is cut off, within write_deadline; the fast one loses nothing.
/// </summary>
public class DrainingReaderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_draining_reader_gets_every_message_while_a_stuck_one_is_cut_near_write_deadline()
    {
        await using var broker = await TestBroker.StartAsync(o => o with
        {
            MaxPending = DrainingReaderScenario.MaxPending, WriteDeadline = DrainingReaderScenario.WriteDeadline,
        });
        var stuckConnectionTask = Task.Run(async () =>
        {
            // The first subscriber to connect is the stuck one.
            while (broker.Server.Context.Connections.IsEmpty) await Task.Delay(5);
            return broker.Server.Context.Connections.Values.MinBy(c => c.Id)!;
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stuckCutAt = Task.Run(async () =>
        {
            var connection = await stuckConnectionTask;
            await connection.Completion;
            return clock.Elapsed;
        });
        var connections = Task.Run(async () =>
        {
            while (broker.Server.Context.Connections.Count < 4) await Task.Delay(5);
            return broker.Server.Context.Connections.Values.OrderBy(c => c.Id).ToArray();
        });
        var outcome = await DrainingReaderScenario.RunAsync(broker.Port);
        var stuck = await stuckConnectionTask;
        Report(outcome);
        foreach (var c in await connections) output.WriteLine($"cid {c.Id}: closed by {c.ClosedBy}");
        foreach (var line in broker.Log.Lines.Where(l => l.Contains("Slow", StringComparison.Ordinal))) output.WriteLine(line);

        Assert.Equal(DrainingReaderScenario.Count, outcome.Fast.Messages);
        Assert.Equal(DrainingReaderScenario.Count, outcome.Draining.Messages);
        Assert.False(outcome.Draining.Closed);
        Assert.Null(outcome.Draining.Error);
        Assert.True(outcome.Stuck.Closed, "the stuck reader must be cut off");
        Assert.True(outcome.Stuck.Messages < DrainingReaderScenario.Count);
        Assert.True(stuck.ClosedBy is Broker.Clients.CloseReason.SlowConsumerPendingBytes or Broker.Clients.CloseReason.SlowConsumerWriteDeadline, $"closed by {stuck.ClosedBy}");
        Assert.Equal(1, broker.Server.Context.Stats.SlowConsumers);
        // It stopped making progress as soon as its socket buffers were full, right at the start: cut
        // near write_deadline after that, and the publisher waited on it no longer.
        var cutAt = await stuckCutAt.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"stuck cut at {cutAt.TotalMilliseconds:F0} ms");
        Assert.True(cutAt < DrainingReaderScenario.WriteDeadline + TimeSpan.FromSeconds(2), $"stuck reader cut only at {cutAt}");
    }

    [NatsServerFact]
    public async Task Nats_server_holds_to_the_same_expectations()
    {
        await using var server = await NatsServerProcess.StartAsync(DrainingReaderScenario.NatsServerConfig);
        var outcome = await DrainingReaderScenario.RunAsync(server.Port);
        Report(outcome);

        Assert.Equal(DrainingReaderScenario.Count, outcome.Fast.Messages);
        Assert.Equal(DrainingReaderScenario.Count, outcome.Draining.Messages);
        Assert.False(outcome.Draining.Closed);
        Assert.True(outcome.Stuck.Closed, "the stuck reader must be cut off");
        Assert.True(outcome.Stuck.Messages < DrainingReaderScenario.Count);
    }

    private void Report(DrainingReaderScenario.Outcome o) => output.WriteLine(
        $"fast {o.Fast.Messages}, draining {o.Draining.Messages} (error {o.Draining.Error}, longest gap {o.Draining.LongestGap.TotalMilliseconds:F0} ms), stuck {o.Stuck.Messages} closed {o.Stuck.Closed} error {o.Stuck.Error}; published in {o.PublishedIn.TotalMilliseconds:F0} ms, drained in {o.DrainedIn.TotalMilliseconds:F0} ms");
}

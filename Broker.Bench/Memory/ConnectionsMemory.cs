using Broker.Bench.Drivers;

namespace Broker.Bench.Memory;

/// <summary>Many idle connections with one subscription each (distinct subjects): the per-connection cost.</summary>
internal sealed class ConnectionsMemory(int connections) : MemoryScenario
{
    public override string Name => "connections";
    public override string Description => $"{connections:N0} connections x 1 subscription";

    public override async Task RunAsync(MemoryProbe probe)
    {
        await probe.ReadSettledAsync("before", TimeSpan.FromSeconds(5));
        var opened = new List<RawConnection>(connections);
        try
        {
            await Parallel.ForAsync(0, connections, new ParallelOptions { MaxDegreeOfParallelism = 32 }, (i, _) =>
            {
                var connection = RawConnection.Open(probe.Endpoint, $"SUB conn.{i} 1\r\n");
                lock (opened) opened.Add(connection);
                return ValueTask.CompletedTask;
            });
            await probe.ReadSettledAsync("loaded", TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var connection in opened) connection.Dispose();
        }
        await ReadAfterLoadAsync(probe);
    }
}

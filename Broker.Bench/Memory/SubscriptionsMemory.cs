using System.Text;
using Broker.Bench.Drivers;

namespace Broker.Bench.Memory;

/// <summary>Many subscriptions on few connections (distinct subjects, a few wildcards): the per-subscription cost of the index.</summary>
internal sealed class SubscriptionsMemory(int subscriptions, int connections) : MemoryScenario
{
    private const int BatchPerSend = 500;

    public override string Name => "subscriptions";
    public override string Description => $"{subscriptions:N0} subscriptions on {connections} connections";

    public override async Task RunAsync(MemoryProbe probe)
    {
        await probe.ReadSettledAsync("before", TimeSpan.FromSeconds(5));
        var opened = new List<RawConnection>();
        try
        {
            var perConnection = subscriptions / connections;
            for (var c = 0; c < connections; c++)
            {
                var connection = RawConnection.Open(probe.Endpoint);
                opened.Add(connection);
                var batch = new StringBuilder();
                for (var s = 0; s < perConnection; s++)
                {
                    // One in ten is a wildcard, as in a real service mix.
                    batch.Append(s % 10 == 0 ? $"SUB svc.{c}.{s}.* {s + 1}\r\n" : $"SUB svc.{c}.{s}.req {s + 1}\r\n");
                    if ((s + 1) % BatchPerSend == 0 || s == perConnection - 1)
                    {
                        connection.Send(Encoding.ASCII.GetBytes(batch.ToString()));
                        batch.Clear();
                    }
                }
                connection.Ping();
            }
            await probe.ReadSettledAsync("loaded", TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var connection in opened) connection.Dispose();
        }
        await ReadAfterLoadAsync(probe);
    }
}

using System.Net.Sockets;
using System.Text;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

/// <summary>Review hazard (issue 13): a SUB that races a close must not leave a subscription of the closed connection in the index.</summary>
public class SubscribeCloseRaceTests
{
    [Fact]
    public async Task Subscriptions_made_while_a_connection_closes_leave_nothing_in_the_index()
    {
        await using var broker = await TestBroker.StartAsync();
        var subs = new StringBuilder("CONNECT {\"verbose\":false}\r\n");
        for (var i = 0; i < 2000; i++) subs.Append("SUB race.").Append(i).Append(' ').Append(i).Append("\r\n");
        var bytes = Encoding.ASCII.GetBytes(subs.ToString());
        for (var round = 0; round < 30; round++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", broker.Port);
            var write = client.GetStream().WriteAsync(bytes).AsTask();
            var connection = await Polling.UntilAsync(() => broker.Server.Context.Connections.Values.FirstOrDefault(c => c.SubscriptionCount > 100 + round * 50));
            // Closed from another thread while its read loop is still subscribing: as a slow consumer would be.
            connection.Close(Broker.Clients.CloseReason.SlowConsumerPendingBytes);
            await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            try { await write; } catch (IOException) { }
        }
        // Every change sent to the shards applied: then no subject may still match a subscription.
        await Polling.UntilAsync(() => Enumerable.Range(0, 2000).All(i => broker.Server.Context.GlobalAccount.Index.Match(Encoding.ASCII.GetBytes($"race.{i}")).IsEmpty) ? (object)true : null,
            TimeSpan.FromSeconds(10));
    }
}

internal static class Polling
{
    public static async Task<T> UntilAsync<T>(Func<T?> probe, TimeSpan? timeout = null) where T : class
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (probe() is { } found) return found;
            if (DateTime.UtcNow > until) throw new TimeoutException("condition not met");
            await Task.Delay(1);
        }
    }
}

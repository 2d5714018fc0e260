using Broker.Configuration;
using Broker.Host;
using Broker.Host.Reload;
using Broker.Logging;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Host;

/// <summary>
/// Reloads of users and permissions, one after another while NATS.Net clients publish and
/// subscribe: the clients the reloads do not concern lose nothing, see nothing out of order and
/// are never disconnected; the ones they do concern are treated as the new file says.
/// </summary>
public class ReloadUnderTrafficTests
{
    private const string Head = "host: 127.0.0.1\nport: -1\n";

    // The two files differ in user "gone" (removed) and in "narrowed"'s permissions; pub and sub are the same in both.
    private const string First = Head + """
        authorization { users: [
          { user: pub, password: p }
          { user: sub, password: s }
          { user: gone, password: g }
          { user: narrowed, password: n, permissions: { subscribe: ["load", "side.>"] } }
        ] }

        """;

    private const string Second = Head + """
        authorization { users: [
          { user: pub, password: p }
          { user: sub, password: s }
          { user: narrowed, password: n, permissions: { subscribe: ["side.>"] } }
          { user: added, password: a }
        ] }

        """;

    private static NatsOpts As(NatsOpts o, string user, string password) => o with
    {
        AuthOpts = NatsAuthOpts.Default with { Username = user, Password = password },
        MaxReconnectRetry = 0,
    };

    [Fact]
    public async Task Unaffected_clients_lose_and_reorder_nothing_across_many_reloads()
    {
        var file = SignalTests.TempConfig(First);
        try
        {
            var options = BrokerConfigLoader.LoadFile(file);
            await using var broker = await TestBroker.StartAsync(_ => options);
            var reload = new ConfigReload(CommandLine.Parse(["-c", file]), options, file, Path.GetTempPath(), new ReloadableServerLog(ServerLog.Null), TextWriter.Null)
            {
                Server = broker.Server,
            };

            await using var publisher = await NatsClients.ConnectAsync(broker.Url, o => As(o, "pub", "p"));
            await using var subscriber = await NatsClients.ConnectAsync(broker.Url, o => As(o, "sub", "s"));
            var disconnects = 0;
            publisher.ConnectionDisconnected += (_, _) => { Interlocked.Increment(ref disconnects); return default; };
            subscriber.ConnectionDisconnected += (_, _) => { Interlocked.Increment(ref disconnects); return default; };
            await using var sub = await subscriber.SubscribeCoreAsync<int>("load");
            await subscriber.PingAsync();

            const int total = 4000;
            const int reloads = 20;
            var publishing = Task.Run(async () =>
            {
                for (var i = 0; i < total; i++)
                {
                    await publisher.PublishAsync("load", i);
                    if (i % 100 == 99) await publisher.PingAsync();
                }
                await publisher.PingAsync();
            });
            var refusals = new List<string>();
            for (var r = 0; r < reloads; r++)
            {
                File.WriteAllText(file, r % 2 == 0 ? Second : First);
                if (reload.Run() is { } refusal) refusals.Add(refusal);
                // The same user connects, is cut or narrowed by the next reload, again and again.
                await using var gone = await RawClient.ConnectAsync(broker.Port);
                await gone.SendAsync(r % 2 == 0
                    ? "CONNECT {\"verbose\":false,\"user\":\"added\",\"pass\":\"a\"}\r\nPING\r\n"
                    : "CONNECT {\"verbose\":false,\"user\":\"gone\",\"pass\":\"g\"}\r\nPING\r\n");
                await gone.ReadUntilAsync("PONG\r\n");
            }
            await publishing;

            var received = await NatsClients.ReadAsync(sub, total, timeoutSeconds: 60);
            Assert.Empty(refusals);
            Assert.Equal(Enumerable.Range(0, total), received.Select(m => m.Data));
            Assert.Equal(0, Volatile.Read(ref disconnects));
            Assert.Equal(NatsConnectionState.Open, publisher.ConnectionState);
            Assert.Equal(NatsConnectionState.Open, subscriber.ConnectionState);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_subscription_that_lost_its_permission_stops_while_the_connection_serves_on()
    {
        var file = SignalTests.TempConfig(First);
        try
        {
            var options = BrokerConfigLoader.LoadFile(file);
            await using var broker = await TestBroker.StartAsync(_ => options);
            var reload = new ConfigReload(CommandLine.Parse(["-c", file]), options, file, Path.GetTempPath(), new ReloadableServerLog(ServerLog.Null), TextWriter.Null)
            {
                Server = broker.Server,
            };
            await using var publisher = await NatsClients.ConnectAsync(broker.Url, o => As(o, "pub", "p"));
            await using var narrowed = await NatsClients.ConnectAsync(broker.Url, o => As(o, "narrowed", "n"));
            await using var load = await narrowed.SubscribeCoreAsync<int>("load");
            await using var side = await narrowed.SubscribeCoreAsync<int>("side.a");
            await narrowed.PingAsync();

            File.WriteAllText(file, Second);
            Assert.Null(reload.Run());
            await publisher.PublishAsync("load", 1);
            await publisher.PublishAsync("side.a", 2);
            await publisher.PingAsync();

            Assert.Equal(2, (await NatsClients.ReadAsync(side, 1)).Single().Data);
            Assert.False(load.Msgs.TryRead(out _));
            Assert.Equal(NatsConnectionState.Open, narrowed.ConnectionState);
            Assert.Equal(1, broker.Server.Context.Connections.Values.Single(c => c.User == "narrowed").SubscriptionCount);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

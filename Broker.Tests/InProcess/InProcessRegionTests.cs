using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.Cluster;
using Broker.Tests.EndToEnd;
using Broker.Tests.Gateways;
using static Broker.Tests.Gateways.TestSupercluster;

namespace Broker.Tests.InProcess;

/// <summary>In-process clients on two regions joined by gateways: messages and requests cross, in both directions and across accounts.</summary>
public class InProcessRegionTests
{
    [Fact]
    public async Task In_process_clients_on_two_regions_exchange_messages_and_requests()
    {
        await using var super = await TestSupercluster.StartAsync(1, ExportingAccounts.Apply, "east", "west");
        var (east, west) = (super["east"][0], super["west"][0]);
        await using var onEast = east.Server.ConnectInProcess(InProcessIdentity.User("a"), "east-app");
        await using var onWest = west.Server.ConnectInProcess(InProcessIdentity.User("a"), "west-app");

        var (subscribed, received) = onEast.Subscribe("telemetry.>").Take(10).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(east.System.Materializer());
        await subscribed;
        await using var served = await onEast.ServeAsync("svc.where", _ => ValueTask.FromResult<Reply?>(Reply.Text("east")));
        await WaitRegionInterestAsync(west, "telemetry.x", account: "A");
        await WaitRegionInterestAsync(west, "svc.where", account: "A");

        // West's in-process publisher and a network publisher reach east's in-process stream, each in order.
        await using var networkOnWest = await NatsClients.ConnectAsync(west.Url, ExportingAccounts.As("a"));
        for (var i = 0; i < 5; i++) await onWest.PublishAsync("telemetry.x", Encoding.UTF8.GetBytes($"in-process {i}"));
        for (var i = 0; i < 5; i++) await networkOnWest.PublishAsync("telemetry.x", $"network {i}");
        var payloads = (await received.WaitAsync(TimeSpan.FromSeconds(20))).Select(m => m.PayloadText).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"in-process {i}"), payloads.Where(p => p.StartsWith("in-process")));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"network {i}"), payloads.Where(p => p.StartsWith("network")));

        // Requests from west, in-process and over the network, answered by east's in-process responder.
        Assert.Equal("east", (await onWest.RequestAsync("svc.where", ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(20))).PayloadText);
        Assert.Equal("east", (await networkOnWest.RequestAsync<string, string>("svc.where", "")).Data);

        // Across regions and accounts: B's in-process client on west requests A's service on east through its import.
        await using var importerOnWest = west.Server.ConnectInProcess(InProcessIdentity.User("b"), "west-importer");
        Assert.Equal("east", (await importerOnWest.RequestAsync("svc.where", ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(20))).PayloadText);

        // And back: east's in-process publisher reaches a network subscriber on west.
        await using var sub = await networkOnWest.SubscribeCoreAsync<string>("commands");
        await WaitRegionInterestAsync(east, "commands", account: "A");
        await onEast.PublishAsync("commands", Encoding.UTF8.GetBytes("go"));
        Assert.Equal("go", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
    }
}

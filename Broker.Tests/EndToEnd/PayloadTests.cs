using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.EndToEnd;

public class PayloadTests
{
    [Fact]
    public async Task A_payload_of_exactly_max_payload_round_trips_byte_for_byte()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var nc = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await nc.SubscribeCoreAsync<byte[]>("big");
        await nc.PingAsync();
        var payload = new byte[1024 * 1024];
        new Random(7).NextBytes(payload);

        await nc.PublishAsync("big", payload);

        Assert.Equal(payload, Assert.Single(await NatsClients.ReadAsync(sub, 1)).Data);
    }

    [Fact]
    public async Task A_payload_above_max_payload_is_refused_and_other_clients_carry_on()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxPayload = 4096 });
        await using var nc = await NatsClients.ConnectAsync(broker.Url);
        await using var healthy = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await healthy.SubscribeCoreAsync<byte[]>("x");
        await healthy.PingAsync();

        await Assert.ThrowsAnyAsync<NatsException>(() => nc.PublishAsync("x", new byte[4097]).AsTask());

        await healthy.PublishAsync("x", new byte[4096]);
        Assert.Equal(4096, Assert.Single(await NatsClients.ReadAsync(sub, 1)).Data!.Length);
    }
}

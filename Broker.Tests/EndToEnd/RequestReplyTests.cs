using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.EndToEnd;

public class RequestReplyTests
{
    [Fact]
    public async Task Requests_are_answered_through_the_reply_subject()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var service = await NatsClients.ConnectAsync(broker.Url);
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await service.SubscribeCoreAsync<int>("square");
        await service.PingAsync();
        using var stop = new CancellationTokenSource();
        var responder = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync(stop.Token)) await msg.ReplyAsync(msg.Data * msg.Data);
        });

        var answers = await Task.WhenAll(Enumerable.Range(1, 100).Select(async i => (i, (await client.RequestAsync<int, int>("square", i)).Data)));

        Assert.All(answers, a => Assert.Equal(a.i * a.i, a.Data));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => responder);
    }

    [Fact]
    public async Task A_request_nobody_serves_fails_fast_with_no_responders()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await NatsClients.ConnectAsync(broker.Url, o => o with { RequestTimeout = TimeSpan.FromSeconds(30) });

        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<NatsNoRespondersException>(() => client.RequestAsync<int, int>("nobody.home", 1).AsTask());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "no-responders must answer well before the request timeout");
    }
}

using System.Text;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.InProcess;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.InProcess;

public class InProcessRequestReplyTests
{
    /// <summary>Answers a request with its payload upper-cased.</summary>
    private sealed class Shouter : ReceiveActor
    {
        public Shouter() => Receive<BrokerMessage>(m => Sender.Tell(Reply.Text(m.PayloadText.ToUpperInvariant())));
    }

    [Fact]
    public async Task A_network_client_requests_an_actor_responder_and_a_delegate_responder()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var shouter = broker.System.ActorOf(Props.Create(() => new Shouter()));
        await using var byActor = await app.ServeAsync("shout", shouter);
        await using var byDelegate = await app.ServeAsync("length", m => ValueTask.FromResult<Reply?>(Reply.Text(m.Payload.Length.ToString())));
        await using var client = await NatsClients.ConnectAsync(broker.Url);

        Assert.Equal("HELLO", (await client.RequestAsync<string, string>("shout", "hello")).Data);
        Assert.Equal("5", (await client.RequestAsync<string, string>("length", "hello")).Data);
    }

    [Fact]
    public async Task An_in_process_request_is_answered_by_a_network_responder()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        await using var sub = await client.SubscribeCoreAsync<int>("square");
        await client.PingAsync();
        var serve = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                await msg.ReplyAsync(msg.Data * msg.Data, headers: new NatsHeaders { ["Served-By"] = "net" });
                if (msg.Data == 9) return;
            }
        });
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);

        for (var i = 1; i <= 9; i++)
        {
            var reply = await app.RequestAsync("square", Encoding.ASCII.GetBytes(i.ToString()), TimeSpan.FromSeconds(20));
            Assert.Equal((i * i).ToString(), reply.PayloadText);
            Assert.Equal("net", reply.Headers.First("Served-By"));
        }
        await serve;
    }

    [Fact]
    public async Task No_responders_is_an_error_type_and_a_silent_responder_times_out()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var nobody = await Assert.ThrowsAsync<NoRespondersException>(() => app.RequestAsync("nobody.home", "x"u8.ToArray(), TimeSpan.FromSeconds(20)));
        Assert.Equal("nobody.home", nobody.Subject);

        await using var silent = await app.ServeAsync("silent", _ => ValueTask.FromResult<Reply?>(null));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<RequestTimeoutException>(() => app.RequestAsync("silent", "x"u8.ToArray(), TimeSpan.FromMilliseconds(300)));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_network_request_to_an_in_process_subject_nobody_serves_gets_no_responders()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var served = await app.ServeAsync("brief", _ => ValueTask.FromResult<Reply?>(Reply.Text("ok")));
        await using var client = await NatsClients.ConnectAsync(broker.Url);
        Assert.Equal("ok", (await client.RequestAsync<string, string>("brief", "")).Data);

        await served.DisposeAsync();

        await Assert.ThrowsAsync<NatsNoRespondersException>(() => client.RequestAsync<string, string>("brief", "").AsTask());
    }

    [Fact]
    public async Task A_request_flow_emits_replies_in_order()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        await using var doubler = await app.ServeAsync("double", m => ValueTask.FromResult<Reply?>(Reply.Text((int.Parse(m.PayloadText) * 2).ToString())), queue: "q");

        var replies = await Source.From(Enumerable.Range(0, 50))
            .Select(i => OutgoingMessage.Text("double", i.ToString()))
            .Via(app.RequestFlow(parallelism: 8, timeout: TimeSpan.FromSeconds(20)))
            .Select(m => int.Parse(m.PayloadText))
            .RunWith(Sink.Seq<int>(), broker.System.Materializer());

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 2), replies);
    }
}

using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Broker.Configuration;
using Broker.InProcess;
using Broker.Tests.Cluster;
using Broker.Logging;
using Broker.Server;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

/// <summary>Actor subscriptions, with the Akka test kit: messages arrive as immutable records; the mailbox bound drops and counts.</summary>
public class InProcessActorSubscriptionTests : TestKit
{
    public InProcessActorSubscriptionTests() : base("akka.loglevel = WARNING") { }

    private async Task<BrokerServer> StartBrokerAsync() =>
        await BrokerServer.StartAsync(Sys, new BrokerOptions { Host = "127.0.0.1", Port = 0 }, new RecordingServerLog());

    [Fact]
    public async Task An_actor_receives_network_messages_as_broker_messages_and_hears_when_its_subscription_ends()
    {
        await using var server = await StartBrokerAsync();
        await using var app = server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        var probe = CreateTestProbe();
        var subscription = await app.SubscribeActorAsync("sensor.*", probe.Ref, maxMessages: 2);
        await using var client = await NatsClients.ConnectAsync($"nats://127.0.0.1:{server.ClientEndpoint.Port}");

        await client.PublishAsync("sensor.t1", "21.5");
        await client.PublishAsync("sensor.t2", "22.0");
        await client.PublishAsync("sensor.t3", "not delivered: max reached");

        var first = probe.ExpectMsg<BrokerMessage>(TimeSpan.FromSeconds(20));
        Assert.Equal(("sensor.t1", "21.5"), (first.Subject, first.PayloadText));
        Assert.Equal("sensor.t2", probe.ExpectMsg<BrokerMessage>(TimeSpan.FromSeconds(20)).Subject);
        Assert.Equal("sensor.*", probe.ExpectMsg<SubscriptionEnded>(TimeSpan.FromSeconds(20)).Subject);
        await client.PingAsync();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, subscription.Delivered);
    }

    [Fact]
    public async Task Past_the_mailbox_bound_messages_are_dropped_and_counted()
    {
        await using var server = await StartBrokerAsync();
        await using var app = server.ConnectInProcess(InProcessIdentity.GlobalAccount);
        // A probe's queue is not a mailbox the bound can see; an actor blocked on a gate is.
        var gate = new ManualResetEventSlim();
        var seen = new List<string>();
        var blocked = Sys.ActorOf(Props.Create(() => new GatedActor(gate, seen)));
        var subscription = await app.SubscribeActorAsync("burst", blocked, bound: 10);

        for (var i = 0; i < 100; i++) app.Publish("burst", Encoding.ASCII.GetBytes(i.ToString()));

        // One message is being handled (blocked), at most ten wait: the rest were dropped.
        Assert.InRange(subscription.Dropped, 89, 90);
        gate.Set();
        await Eventually.Async(() => { lock (seen) return seen.Count == 100 - subscription.Dropped; }, "the kept messages arrive");
        // The oldest are kept (the first ten, and one more if the actor took the first during the burst), in publish order.
        lock (seen)
        {
            var numbers = seen.Select(int.Parse).ToList();
            Assert.Equal(Enumerable.Range(0, 10), numbers.Take(10));
            Assert.Equal(numbers.Order(), numbers);
        }
    }

    private sealed class GatedActor : ReceiveActor
    {
        public GatedActor(ManualResetEventSlim gate, List<string> seen) => Receive<BrokerMessage>(m =>
        {
            gate.Wait();
            lock (seen) seen.Add(m.PayloadText);
        });
    }
}

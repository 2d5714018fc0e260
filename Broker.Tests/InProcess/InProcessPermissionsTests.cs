using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.Configuration;
using Broker.InProcess;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.InProcess;

/// <summary>An in-process connection bound to a user has that user's account and permissions, as a network client would.</summary>
public class InProcessPermissionsTests
{
    private static BrokerOptions WithUsers(BrokerOptions o) => o with
    {
        Accounts =
        [
            new AccountOptions("A")
            {
                Users =
                [
                    new UserOptions("restricted", "pw", "A")
                    {
                        Permissions = new PermissionsOptions
                        {
                            Publish = new SubjectPermissionOptions(["allowed.>"], null),
                            Subscribe = new SubjectPermissionOptions(["allowed.>"], ["allowed.secret"]),
                        },
                    },
                    new UserOptions("free", "pw", "A"),
                ],
            },
            new AccountOptions("B") { Users = [new UserOptions("other", "pw", "B")] },
        ],
    };

    [Fact]
    public async Task Publish_and_subscribe_outside_the_users_permissions_are_refused_with_nats_server_text()
    {
        await using var broker = await TestBroker.StartAsync(WithUsers);
        await using var app = broker.Server.ConnectInProcess(InProcessIdentity.User("restricted"));

        Assert.Equal("A", app.Account.Name);
        var refused = Assert.Throws<PermissionViolationException>(() => app.Publish("forbidden", "x"u8));
        Assert.Equal("Permissions Violation for Publish to \"forbidden\"", refused.Message);
        var subscription = app.Subscribe("forbidden").RunWith(Sink.Ignore<BrokerMessage>(), broker.System.Materializer());
        Assert.Equal("Permissions Violation for Subscription to \"forbidden\"", (await Assert.ThrowsAsync<PermissionViolationException>(() => subscription)).Message);
        Assert.Contains(broker.Log.Lines, l => l.Contains("Publish Violation - User \"restricted\", Subject \"forbidden\""));
    }

    [Fact]
    public async Task A_wildcard_subscription_does_not_receive_subjects_its_user_is_denied()
    {
        await using var broker = await TestBroker.StartAsync(WithUsers);
        await using var restricted = broker.Server.ConnectInProcess(InProcessIdentity.User("restricted"));
        await using var free = broker.Server.ConnectInProcess(InProcessIdentity.User("free"));
        var (subscribed, received) = restricted.Subscribe("allowed.>").Take(2).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;

        free.Publish("allowed.one", "1"u8);
        free.Publish("allowed.secret", "hidden"u8);
        free.Publish("allowed.two", "2"u8);

        Assert.Equal(["allowed.one", "allowed.two"], (await received.WaitAsync(TimeSpan.FromSeconds(20))).Select(m => m.Subject));
    }

    [Fact]
    public async Task Accounts_stay_isolated_between_in_process_and_network_clients()
    {
        await using var broker = await TestBroker.StartAsync(WithUsers);
        await using var inA = broker.Server.ConnectInProcess(InProcessIdentity.Account("A"));
        var (subscribed, received) = inA.Subscribe("shared").Take(1).ToMaterialized(Sink.Seq<BrokerMessage>(), Keep.Both).Run(broker.System.Materializer());
        await subscribed;
        await using var inB = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NATS.Client.Core.NatsAuthOpts.Default with { Username = "other", Password = "pw" } });
        await using var alsoA = await NatsClients.ConnectAsync(broker.Url, o => o with { AuthOpts = NATS.Client.Core.NatsAuthOpts.Default with { Username = "free", Password = "pw" } });

        await inB.PublishAsync("shared", "from B");
        await inB.PingAsync();
        await alsoA.PublishAsync("shared", "from A");

        Assert.Equal("from A", Assert.Single(await received.WaitAsync(TimeSpan.FromSeconds(20))).PayloadText);
    }

    [Fact]
    public async Task Unknown_users_and_accounts_are_refused()
    {
        await using var broker = await TestBroker.StartAsync(WithUsers);
        Assert.Contains("no user \"ghost\"", Assert.Throws<InProcessException>(() => broker.Server.ConnectInProcess(InProcessIdentity.User("ghost"))).Message);
        Assert.Contains("no account \"Z\"", Assert.Throws<InProcessException>(() => broker.Server.ConnectInProcess(InProcessIdentity.Account("Z"))).Message);
    }
}

using System.Text.Json;
using Broker.Configuration;
using Broker.Tests.EndToEnd;
using NATS.Client.Core;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Cluster;

/// <summary>The system account across a cluster: a server PING gets one answer from every node; advisories reach listeners on any node.</summary>
public class ClusterSystemAccountTests
{
    private const string Accounts = """
        accounts {
          SYS { users: [ { user: admin, password: pa } ] }
          APP { users: [ { user: guest, password: gp } ] }
        }
        system_account: SYS
        """;

    [Fact]
    public async Task Server_ping_is_answered_once_by_every_node()
    {
        await using var cluster = await TestCluster.StartAsync(3, configure: o =>
        {
            var parsed = BrokerConfigLoader.Parse(Accounts);
            return o with { Accounts = parsed.Accounts, SystemAccount = parsed.SystemAccount };
        });
        await using var admin = await NatsClients.ConnectAsync(cluster[0].Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "admin", Password = "pa" } });
        await using var inbox = await admin.SubscribeCoreAsync<string>("ping.answers");
        // Every node's $SYS.REQ.SERVER.PING subscription must be known on node A before asking.
        await Eventually.Async(() => cluster[0].Server.Context.Accounts["SYS"].Index.Match("$SYS.REQ.SERVER.PING"u8.ToArray()).Plain.Count(s => s.Owner.IsRemote) == 2,
            "the other nodes' system subscriptions");
        await admin.PingAsync();

        await admin.PublishAsync("$SYS.REQ.SERVER.PING", "", replyTo: "ping.answers");

        var answers = await NatsClients.ReadAsync(inbox, 3);
        var ids = answers.Select(a => JsonDocument.Parse(a.Data!).RootElement.GetProperty("server").GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(cluster.Nodes.Select(n => n.Server.Context.ServerId).ToHashSet(), ids);
    }

    [Fact]
    public async Task A_connect_and_disconnect_on_one_node_are_advised_to_a_listener_on_another()
    {
        await using var cluster = await TestCluster.StartAsync(2, configure: o =>
        {
            var parsed = BrokerConfigLoader.Parse(Accounts);
            return o with { Accounts = parsed.Accounts, SystemAccount = parsed.SystemAccount };
        });
        await using var admin = await NatsClients.ConnectAsync(cluster[0].Url, o => o with { AuthOpts = NatsAuthOpts.Default with { Username = "admin", Password = "pa" } });
        await using var connects = await admin.SubscribeCoreAsync<string>("$SYS.ACCOUNT.APP.CONNECT");
        await using var disconnects = await admin.SubscribeCoreAsync<string>("$SYS.ACCOUNT.APP.DISCONNECT");
        await cluster[1].WaitRemoteInterestAsync("$SYS.ACCOUNT.APP.CONNECT", account: "SYS");
        await cluster[1].WaitRemoteInterestAsync("$SYS.ACCOUNT.APP.DISCONNECT", account: "SYS");

        await using (var guest = await NatsClients.ConnectAsync(cluster[1].Url, o => o with { Name = "guest-on-b", AuthOpts = NatsAuthOpts.Default with { Username = "guest", Password = "gp" } }))
        {
            var connect = JsonDocument.Parse((await NatsClients.ReadAsync(connects, 1)).Single().Data!).RootElement;
            Assert.Equal("guest-on-b", connect.GetProperty("client").GetProperty("name").GetString());
            Assert.Equal(cluster[1].Server.Context.ServerId, connect.GetProperty("server").GetProperty("id").GetString());
        }
        var disconnect = JsonDocument.Parse((await NatsClients.ReadAsync(disconnects, 1)).Single().Data!).RootElement;
        Assert.Equal("guest-on-b", disconnect.GetProperty("client").GetProperty("name").GetString());
    }
}

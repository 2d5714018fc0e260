using System.Text.Json.Nodes;
using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;
using Broker.Tests.SystemAccount;
using static Broker.Tests.LeafNodes.LeafTestSupport;
using static Broker.Tests.SystemAccount.SystemAccountSetup;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// <c>$SYS.ACCOUNT.&lt;acc&gt;.LEAFNODE.CONNECT</c>: nats-server 2.9 sends it when a leaf binds to an
/// account on a server with a system account and a gateway. Broker's has nats-server's keys, order and value kinds.
/// </summary>
public sealed class LeafAdvisoryDifferentialTests
{
    /// <summary>The system account setup, a gateway (no remotes needed) and a leafnode port; valid for both servers.</summary>
    private static string ConfigWithLeafPort(int leafPort) =>
        SystemAccountSetup.Config + $"\ngateway {{ name: solo, listen: \"127.0.0.1:{FreePort()}\", authorization {{ user: gw, password: gwsecret }} }}\n"
               + $"leafnodes {{ listen: \"127.0.0.1:{leafPort}\" }}\n";

    [NatsServerFact]
    public async Task The_LEAFNODE_CONNECT_advisory_has_nats_servers_shape()
    {
        JsonObject theirs;
        var natsLeafPort = FreePort();
        await using (var nats = await NatsServerProcess.StartAsync(ConfigWithLeafPort(natsLeafPort)))
        {
            theirs = await AdvisoryOnLeafConnectAsync(nats.Port, natsLeafPort);
        }
        var leafPort = FreePort();
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(ConfigWithLeafPort(leafPort)) with { Host = o.Host, Port = o.Port });
        var ours = await AdvisoryOnLeafConnectAsync(broker.Port, leafPort);

        Assert.Equal("A", (string?)ours["acc"]);
        var theirShape = JsonShape.Of(theirs);
        var myShape = JsonShape.Of(ours);
        Assert.True(theirShape.SequenceEqual(myShape), JsonShape.Diff(theirShape, myShape));
    }

    /// <summary>A raw leaf logs in as account A's user; the system account's subscriber gets the advisory.</summary>
    private static async Task<JsonObject> AdvisoryOnLeafConnectAsync(int clientPort, int leafPort)
    {
        await using var system = await AsSystemAsync($"nats://127.0.0.1:{clientPort}");
        await using var advisories = await SubscribeAsync(system, "$SYS.ACCOUNT.A.LEAFNODE.CONNECT");
        await using var leaf = await RawClient.ConnectAsync(leafPort, readInfo: false);
        await leaf.ReadLineAsync();
        await leaf.SendAsync("CONNECT {\"user\":\"a\",\"pass\":\"pa\",\"name\":\"rawleaf\",\"headers\":true}\r\n");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return Json(await advisories.Msgs.ReadAsync(timeout.Token));
    }
}

using System.Text.Json;
using Broker.Configuration;
using Broker.Tests.Differential;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>
/// A leaf bound to a client user with permissions, as nats-server 2.9 does it: the user's
/// subscribe permission is what the leaf may import (receive from the hub), its publish
/// permission what the leaf may export (send to the hub). Checked in both roles against nats-server.
/// </summary>
public sealed class LeafPermissionTests
{
    private const string NatsUsers =
        "authorization { users: [ { user: leaf, password: p, permissions: { publish: \"up.>\", subscribe: \"down.>\" } }, { user: c, password: c } ] }";

    private static BrokerOptions WithUsers(BrokerOptions o) => o with
    {
        Users =
        [
            new UserOptions("leaf", "p", "$G")
            {
                Permissions = new PermissionsOptions { Publish = new SubjectPermissionOptions(["up.>"], null), Subscribe = new SubjectPermissionOptions(["down.>"], null) },
            },
            new UserOptions("c", "c", "$G"),
        ],
    };

    private static Task<NatsConnection> ConnectUserAsync(int port) =>
        NatsClients.ConnectAsync($"nats://127.0.0.1:{port}", o => o with { AuthOpts = new NatsAuthOpts { Username = "c", Password = "c" } });

    [NatsServerFact]
    public async Task A_nats_server_leaf_on_a_Broker_hub_imports_the_users_subscribe_and_exports_its_publish_subjects()
    {
        await using var hub = await StartHubAsync(configure: WithUsers);
        await using var leaf = await StartNatsLeafAsync($"nats://leaf:p@127.0.0.1:{hub.Server.LeafNodeEndpoint!.Port}");
        await WaitLinkAsync(hub);
        await using var onHub = await ConnectUserAsync(hub.Server.ClientEndpoint.Port);
        await using var onLeaf = await NatsClients.ConnectAsync($"nats://127.0.0.1:{leaf.Port}");
        await AssertOnlyPermittedSubjectsCrossAsync(onHub, onLeaf, s => WaitInterestAsync(hub, s), s => WaitNatsInterestAsync(leaf, s));
    }

    [NatsServerFact]
    public async Task A_Broker_leaf_on_a_nats_server_hub_imports_the_users_subscribe_and_exports_its_publish_subjects()
    {
        var leafPort = FreePort();
        await using var hub = await StartNatsHubAsync(leafPort, NatsUsers);
        await using var leaf = await StartLeafAsync($"nats://leaf:p@127.0.0.1:{leafPort}");
        await WaitLinkAsync(leaf);
        await using var onHub = await ConnectUserAsync(hub.Port);
        await using var onLeaf = await NatsClients.ConnectAsync(leaf.Url);
        await AssertOnlyPermittedSubjectsCrossAsync(onHub, onLeaf, s => WaitNatsInterestAsync(hub, s), s => WaitInterestAsync(leaf, s));
    }

    /// <summary>
    /// Forbidden subjects are published first on one connection, the permitted one last: the link
    /// keeps order, so a first message that is the permitted one proves the others were dropped.
    /// </summary>
    private static async Task AssertOnlyPermittedSubjectsCrossAsync(
        NatsConnection onHub, NatsConnection onLeaf, Func<string, Task> hubKnowsLeafInterest, Func<string, Task> leafKnowsHubInterest)
    {
        // Interest wider than the permission crosses (nats-server matches a wildcard against the
        // allow list in reverse); what it may not carry is dropped per message.
        await using var atLeaf = await onLeaf.SubscribeCoreAsync<string>(">");
        await hubKnowsLeafInterest(">");
        foreach (var subject in new[] { "other.x", "up.x", "down.x" }) await onHub.PublishAsync(subject, subject);
        Assert.Equal("down.x", (await NatsClients.ReadAsync(atLeaf, 1))[0].Subject);

        await using var atHub = await onHub.SubscribeCoreAsync<string>(">");
        await leafKnowsHubInterest(">");
        foreach (var subject in new[] { "other.y", "down.y", "up.y" }) await onLeaf.PublishAsync(subject, subject);
        Assert.Equal("up.y", (await NatsClients.ReadAsync(atHub, 1))[0].Subject);
    }

    /// <summary>The hub's side on the wire, Broker and nats-server given the same users: second INFO, burst, a forbidden LS+.</summary>
    [NatsServerFact]
    public async Task The_hub_tells_import_and_export_filters_its_interest_and_refuses_a_forbidden_literal_subscription_as_nats_server()
    {
        var natsLeafPort = FreePort();
        await using var nats = await StartNatsHubAsync(natsLeafPort, NatsUsers);
        await using var broker = await StartHubAsync(configure: WithUsers);
        var expected = await DriveHubAsync(nats.Port, natsLeafPort);
        var actual = await DriveHubAsync(broker.Server.ClientEndpoint.Port, broker.Server.LeafNodeEndpoint!.Port);
        Assert.Equal(expected, actual);
        Assert.Equal("""{"allow":["down.>"]}|{"allow":["up.>"]}|LS+ up.x|-ERR 'Permissions Violation for Subscription to "other.x"'""", actual);
    }

    private static async Task<string> DriveHubAsync(int clientPort, int leafPort)
    {
        await using var client = await ConnectUserAsync(clientPort);
        await using var up = await client.SubscribeCoreAsync<string>("up.x");
        await using var down = await client.SubscribeCoreAsync<string>("down.x");
        await client.PingAsync();

        await using var leaf = await RawClient.ConnectAsync(leafPort, readInfo: false);
        await leaf.ReadLineAsync();
        await leaf.SendAsync("CONNECT {\"user\":\"leaf\",\"pass\":\"p\",\"name\":\"raw\",\"headers\":true}\r\nPING\r\n");
        var second = JsonDocument.Parse((await leaf.ReadLineAsync())[5..]).RootElement;
        var burst = await leaf.ReadUntilAsync("PONG\r\n");
        // The hub's interest the leaf hears of: only what its user may publish (down.x is not for it).
        var told = string.Join(",", burst.Split("\r\n").Where(l => l.StartsWith("LS+ up.") || l.StartsWith("LS+ down.")));
        // A wildcard beyond the import is taken silently; a literal one is a violation that ends the link.
        await leaf.SendAsync("LS+ down.>\r\nLS+ other.>\r\nPING\r\n");
        await leaf.ReadUntilAsync("PONG\r\n");
        await leaf.SendAsync("LS+ other.x\r\n");
        var end = (await leaf.ReadToCloseAsync()).Trim();
        return $"{second.GetProperty("import").GetRawText()}|{second.GetProperty("export").GetRawText()}|{told}|{end}".Replace("\\u003e", ">").Replace("\\u003E", ">");
    }

    [Fact]
    public async Task A_Broker_hub_drops_a_message_its_leafs_user_may_not_publish()
    {
        await using var hub = await StartHubAsync(configure: WithUsers);
        await using var client = await ConnectUserAsync(hub.Server.ClientEndpoint.Port);
        await using var all = await client.SubscribeCoreAsync<string>(">");
        await client.PingAsync();
        await using var leaf = await RawClient.ConnectAsync(hub.Server.LeafNodeEndpoint!.Port, readInfo: false);
        await leaf.ReadLineAsync();
        // nats-server 2.9 trusts the leaf to filter what it sends; Broker checks it too.
        await leaf.SendAsync("CONNECT {\"user\":\"leaf\",\"pass\":\"p\"}\r\nLMSG other.z 2\r\nno\r\nLMSG up.z 3\r\nyes\r\n");
        var first = (await NatsClients.ReadAsync(all, 1))[0];
        Assert.Equal(("up.z", "yes"), (first.Subject, first.Data));
    }
}

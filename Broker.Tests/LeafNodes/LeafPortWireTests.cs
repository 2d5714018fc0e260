using System.Text.Json;
using Broker.Configuration;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using static Broker.Tests.LeafNodes.LeafTestSupport;

namespace Broker.Tests.LeafNodes;

/// <summary>The leafnode port byte for byte, as nats-server's test/leafnode_test.go drives it with a raw socket.</summary>
public sealed class LeafPortWireTests
{
    private static async Task<(RawClient Leaf, JsonElement Info)> ConnectRawAsync(TestBroker hub)
    {
        var leaf = await RawClient.ConnectAsync(hub.Server.LeafNodeEndpoint!.Port, readInfo: false);
        var line = await leaf.ReadLineAsync();
        Assert.StartsWith("INFO {", line);
        return (leaf, JsonDocument.Parse(line[5..]).RootElement.Clone());
    }

    [Fact]
    public async Task Info_connect_second_info_and_the_interest_burst()
    {
        await using var hub = await StartHubAsync();
        await using var client = await NatsClients.ConnectAsync(hub.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("foo");
        await using var queue = await client.SubscribeCoreAsync<string>("bar", queueGroup: "q");
        await client.PingAsync();

        var (leaf, info) = await ConnectRawAsync(hub);
        await using var _ = leaf;
        Assert.True(info.GetProperty("auth_required").GetBoolean());
        Assert.Equal(15, info.GetProperty("nonce").GetString()!.Length);
        Assert.True(info.GetProperty("info_on_connect").GetBoolean());
        Assert.Equal($"127.0.0.1:{hub.Server.LeafNodeEndpoint!.Port}", info.GetProperty("leafnode_urls")[0].GetString());
        Assert.True(info.GetProperty("client_id").GetUInt64() > 0);

        await leaf.SendAsync("CONNECT {\"name\":\"raw\",\"headers\":true}\r\nPING\r\n");
        var second = await leaf.ReadLineAsync();
        var json = JsonDocument.Parse(second[5..]).RootElement;
        Assert.True(json.GetProperty("connect_info").GetBoolean());
        Assert.Equal("$G", json.GetProperty("remote_account").GetString());
        // The burst goes out with the INFO, before anything the leaf sends next is answered.
        var burst = await leaf.ReadUntilAsync("PONG\r\n");
        Assert.Contains("LS+ bar q 1\r\n", burst);
        Assert.Contains("LS+ $LDS.", burst);
        Assert.Contains("LS+ foo\r\n", burst);

        // The leaf's interest, then a message each way.
        await leaf.SendAsync("LS+ foo\r\nPING\r\n");
        await leaf.ReadUntilAsync("PONG\r\n");
        await using var up = await client.SubscribeCoreAsync<string>("up");
        await client.PublishAsync("foo", "hello");
        Assert.Contains("LMSG foo 5\r\nhello\r\n", await leaf.ReadUntilAsync("hello\r\n"));
        await leaf.SendAsync("LMSG up 2\r\nok\r\nHMSG up reply 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
        var got = await NatsClients.ReadAsync(up, 2);
        Assert.Equal(["ok", "hi"], got.Select(m => m.Data));
        Assert.Equal("reply", got[1].ReplyTo);
    }

    [Fact]
    public async Task A_PONG_answers_a_PING_only_once_the_interest_sent_before_it_is_in_effect()
    {
        await using var hub = await StartHubAsync();
        var (leaf, _) = await ConnectRawAsync(hub);
        await using var __ = leaf;
        await leaf.SendAsync("CONNECT {}\r\nPING\r\n");
        await leaf.ReadUntilAsync("PONG\r\n");
        var index = hub.Server.Context.Accounts["$G"].Index;
        // Many rounds: the shards apply interest on their own actors, so a PONG sent at once would often beat them.
        for (var i = 0; i < 300; i++)
        {
            await leaf.SendAsync($"LS+ wire.{i}\r\nLS+ wire.q.{i} q 1\r\nPING\r\n");
            await leaf.ReadUntilAsync("PONG\r\n");
            Assert.Single(index.Match(System.Text.Encoding.ASCII.GetBytes($"wire.{i}")).Plain);
            Assert.Single(index.Match(System.Text.Encoding.ASCII.GetBytes($"wire.q.{i}")).QueueGroups);
        }
    }

    [Fact]
    public async Task A_message_for_a_leaf_with_plain_and_queue_interest_crosses_once_naming_the_group()
    {
        await using var hub = await StartHubAsync();
        var (leaf, _) = await ConnectRawAsync(hub);
        await using var __ = leaf;
        await leaf.SendAsync("CONNECT {}\r\nLS+ foo\r\nLS+ foo q 3\r\nPING\r\n");
        await leaf.ReadUntilAsync("PONG\r\n");
        await using var client = await NatsClients.ConnectAsync(hub.Url);
        await client.PublishAsync("foo", "x", replyTo: "r");
        await client.PublishAsync("foo", "end");
        var frames = await leaf.ReadUntilAsync("end\r\n");
        Assert.Contains("LMSG foo + r q 1\r\nx\r\n", frames);
        Assert.DoesNotContain("LMSG foo r 1", frames);
    }

    [Fact]
    public async Task A_client_on_the_leafnode_port_is_told_it_is_the_wrong_port()
    {
        await using var hub = await StartHubAsync();
        var (leaf, _) = await ConnectRawAsync(hub);
        await using var __ = leaf;
        await leaf.SendAsync("CONNECT {\"lang\":\"go\",\"verbose\":false}\r\n");
        Assert.Contains("-ERR 'attempted to connect to leaf node port'", await leaf.ReadToCloseAsync());
    }

    [Fact]
    public async Task Nothing_is_believed_before_connect_and_bad_input_costs_only_that_link()
    {
        await using var hub = await StartHubAsync();
        await using var client = await NatsClients.ConnectAsync(hub.Url);
        await using var sub = await client.SubscribeCoreAsync<string>("foo");
        await client.PingAsync();

        var (early, _) = await ConnectRawAsync(hub);
        await using (early)
        {
            await early.SendAsync("LMSG foo 3\r\nbad\r\n");
            Assert.Contains("-ERR 'Authorization Violation'", await early.ReadToCloseAsync());
        }
        var (garbage, _) = await ConnectRawAsync(hub);
        await using (garbage)
        {
            await garbage.SendAsync("CONNECT {}\r\nLS+ ok\r\nXYZZY\r\n");
            Assert.Contains("-ERR 'Unknown Protocol Operation'", await garbage.ReadToCloseAsync());
        }
        var (good, _) = await ConnectRawAsync(hub);
        await using (good)
        {
            await good.SendAsync("CONNECT {}\r\nLMSG foo 4\r\ngood\r\n");
            Assert.Equal("good", (await NatsClients.ReadAsync(sub, 1))[0].Data);
        }
        Assert.Equal(0, sub.Msgs.Count);
    }

    [Fact]
    public async Task Authorization_users_bind_accounts_and_wrong_credentials_are_refused()
    {
        await using var hub = await StartHubAsync(configure: o => o with
        {
            Accounts = [new AccountOptions("A"), new AccountOptions("B")],
            LeafNodes = o.LeafNodes! with { Users = [new UserOptions("la", "pa", "A"), new UserOptions("lb", "pb", "B")] },
        });
        var (wrong, _) = await ConnectRawAsync(hub);
        await using (wrong)
        {
            await wrong.SendAsync("CONNECT {\"user\":\"la\",\"pass\":\"nope\"}\r\n");
            Assert.Contains("-ERR 'Authorization Violation'", await wrong.ReadToCloseAsync());
        }
        var (right, _) = await ConnectRawAsync(hub);
        await using (right)
        {
            await right.SendAsync("CONNECT {\"user\":\"lb\",\"pass\":\"pb\"}\r\n");
            Assert.Contains("\"remote_account\":\"B\"", await right.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_leaf_without_credentials_is_refused_when_clients_must_authenticate_unless_an_account_is_named()
    {
        await using var strict = await StartHubAsync(configure: o => o with { Users = [new UserOptions("u", "p", "$G")] });
        var (bare, _) = await ConnectRawAsync(strict);
        await using (bare)
        {
            await bare.SendAsync("CONNECT {}\r\n");
            Assert.Contains("-ERR 'Authorization Violation'", await bare.ReadToCloseAsync());
        }
        var (asUser, _) = await ConnectRawAsync(strict);
        await using (asUser)
        {
            await asUser.SendAsync("CONNECT {\"user\":\"u\",\"pass\":\"p\"}\r\n");
            Assert.Contains("\"connect_info\":true", await asUser.ReadLineAsync());
        }

        await using var named = await StartHubAsync(configure: o => o with
        {
            Users = [new UserOptions("u", "p", "$G")],
            Accounts = [new AccountOptions("EDGE")],
            LeafNodes = o.LeafNodes! with { Account = "EDGE" },
        });
        var (bound, _) = await ConnectRawAsync(named);
        await using (bound)
        {
            await bound.SendAsync("CONNECT {}\r\n");
            Assert.Contains("\"remote_account\":\"EDGE\"", await bound.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_leaf_that_never_connects_times_out()
    {
        await using var hub = await StartHubAsync(configure: o => o with { LeafNodes = o.LeafNodes! with { AuthTimeout = TimeSpan.FromMilliseconds(300) } });
        var (silent, _) = await ConnectRawAsync(hub);
        await using var _ = silent;
        Assert.Contains("-ERR 'Authentication Timeout'", await silent.ReadToCloseAsync());
    }

    [Fact]
    public async Task Our_own_loop_detector_coming_back_closes_the_link_with_the_30s_text()
    {
        await using var hub = await StartHubAsync();
        var (leaf, _) = await ConnectRawAsync(hub);
        await using var __ = leaf;
        await leaf.SendAsync("CONNECT {}\r\n");
        var burst = await leaf.ReadUntilAsync("LS+ $LDS.");
        var lds = (await leaf.ReadLineAsync()).Trim();
        await leaf.SendAsync($"LS+ $LDS.{lds}\r\n");
        Assert.Contains("-ERR 'Loop detected for leafnode account=\"$G\". Delaying attempt to reconnect for 30s'", await leaf.ReadToCloseAsync());
    }

    [Fact]
    public async Task A_second_link_from_the_same_leaf_server_replaces_the_first()
    {
        await using var hub = await StartHubAsync();
        var (first, _) = await ConnectRawAsync(hub);
        await using var __ = first;
        await first.SendAsync("CONNECT {\"name\":\"edge1\"}\r\nPING\r\n");
        await first.ReadUntilAsync("PONG\r\n");
        var (second, _) = await ConnectRawAsync(hub);
        await using var ___ = second;
        await second.SendAsync("CONNECT {\"name\":\"edge1\"}\r\nPING\r\n");
        await second.ReadUntilAsync("PONG\r\n");
        Assert.Contains("-ERR 'Duplicate Remote LeafNode Connection'", await first.ReadToCloseAsync());
    }
}

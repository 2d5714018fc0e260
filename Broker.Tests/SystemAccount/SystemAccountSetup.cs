using System.Text.Json.Nodes;
using Broker.Configuration;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.SystemAccount;

/// <summary>
/// A broker (or nats-server) with an account <c>A</c> and a system account <c>SYS</c>, each with a
/// user, and the NATS.Net clients the system account tests use.
/// </summary>
public static class SystemAccountSetup
{
    /// <summary>Valid for both this broker and nats-server.</summary>
    public const string Config = """
        server_name: events
        accounts {
          A { users: [ { user: a, password: pa } ] }
          SYS { users: [ { user: sys, password: ps } ] }
        }
        system_account: SYS
        """;

    public static Task<TestBroker> StartAsync(Func<BrokerOptions, BrokerOptions>? configure = null) =>
        TestBroker.StartAsync(o =>
        {
            var options = BrokerConfigLoader.Parse(Config) with { Host = o.Host, Port = o.Port };
            return configure is null ? options : configure(options);
        });

    /// <summary>A client of the system account, which may subscribe to <c>$SYS.&gt;</c>.</summary>
    public static Task<NatsConnection> AsSystemAsync(string url) => AsAsync(url, "sys", "ps", "sysmon");

    public static Task<NatsConnection> AsAccountAAsync(string url, string name = "clientA") => AsAsync(url, "a", "pa", name);

    private static Task<NatsConnection> AsAsync(string url, string user, string password, string name) =>
        NatsClients.ConnectAsync(url, o => o with
        {
            Name = name,
            AuthOpts = NatsAuthOpts.Default with { Username = user, Password = password },
        });

    /// <summary>A subscription whose PING has been answered: it is in the index.</summary>
    public static async Task<INatsSub<byte[]>> SubscribeAsync(NatsConnection connection, string subject)
    {
        var sub = await connection.SubscribeCoreAsync<byte[]>(subject);
        await connection.PingAsync();
        return sub;
    }

    public static JsonObject Json(NatsMsg<byte[]> message) => JsonNode.Parse(message.Data!)!.AsObject();

    /// <summary>
    /// A system request and its JSON answer. The events actor answers in the order it was told
    /// things, so once this returns, every advisory for what happened before it has been sent.
    /// </summary>
    public static async Task<JsonObject> RequestAsync(NatsConnection system, string subject, string body = "")
    {
        var reply = await system.RequestAsync<byte[], byte[]>(subject, System.Text.Encoding.UTF8.GetBytes(body));
        return Json(reply);
    }

    /// <summary>What the subscription holds now, without waiting.</summary>
    public static List<NatsMsg<byte[]>> Drain(INatsSub<byte[]> sub)
    {
        var messages = new List<NatsMsg<byte[]>>();
        while (sub.Msgs.TryRead(out var message)) messages.Add(message);
        return messages;
    }

    public static long Long(JsonNode? node, string path)
    {
        foreach (var key in path.Split('.')) node = node![key];
        return (long)node!;
    }

    public static string? Text(JsonNode? node, string path)
    {
        foreach (var key in path.Split('.')) node = node?[key];
        return (string?)node;
    }
}

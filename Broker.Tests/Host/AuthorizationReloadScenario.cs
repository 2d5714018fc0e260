using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary>
/// One reload of users, accounts and permissions, seen by five raw clients: run against Broker.Host
/// and against nats-server 2.9 (the reference) with the same files. User a loses its permission
/// for "bar", b is removed, c's password changes, d moves to account B, e is untouched.
/// </summary>
internal static class AuthorizationReloadScenario
{
    public const string Before = """
        accounts {
          A: { users: [
            { user: a, password: a, permissions: { subscribe: ["foo.>", "bar"] } }
            { user: b, password: b }
            { user: c, password: c }
            { user: d, password: d }
          ] }
          B: { users: [ { user: e, password: e } ] }
        }

        """;

    public const string After = """
        accounts {
          A: { users: [
            { user: a, password: a, permissions: { subscribe: ["foo.>"] } }
            { user: c, password: cc }
          ] }
          B: { users: [ { user: e, password: e }, { user: d, password: d } ] }
        }

        """;

    public static readonly string[] Users = ["a", "b", "c", "d", "e"];

    /// <summary>What each user's connection reads after the reload, as nats-server 2.9.10 does it (checked by the differential test).</summary>
    public static readonly IReadOnlyDictionary<string, string> Expected = new Dictionary<string, string>
    {
        ["a"] = "-ERR 'Permissions Violation for Subscription to \"bar\" (sid \"2\")'\r\nMSG foo.x 1 1\r\ny\r\nPONG\r\n",
        ["b"] = "<closed>",
        ["c"] = "-ERR 'Authorization Violation'\r\n<closed>",
        ["d"] = "<closed>",
        ["e"] = "MSG bar 2 1\r\nx\r\nMSG foo.x 1 1\r\ny\r\nPONG\r\n",
    };

    /// <summary>Connects the five users, each subscribed to foo.x (sid 1) and bar (sid 2).</summary>
    public static async Task<Dictionary<string, RawClient>> ConnectAsync(int port)
    {
        var clients = new Dictionary<string, RawClient>();
        foreach (var user in Users)
        {
            var client = await RawClient.ConnectAsync(port);
            await client.SendAsync($"CONNECT {{\"verbose\":false,\"user\":\"{user}\",\"pass\":\"{user}\"}}\r\nSUB foo.x 1\r\nSUB bar 2\r\nPING\r\n");
            Assert.EndsWith("PONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
            clients[user] = client;
        }
        return clients;
    }

    /// <summary>After the reload: each client publishes to bar and foo.x and pings; what it reads until PONG or close.</summary>
    public static async Task<Dictionary<string, string>> AfterReloadAsync(Dictionary<string, RawClient> clients)
    {
        var seen = new Dictionary<string, string>();
        foreach (var (user, client) in clients)
        {
            try
            {
                await client.SendAsync("PUB bar 1\r\nx\r\nPUB foo.x 1\r\ny\r\nPING\r\n");
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                // A closed connection may refuse the write; what it was sent is still there to read.
            }
            string text;
            try
            {
                text = await client.ReadUntilAsync("PONG\r\n");
            }
            catch (IOException)
            {
                text = client.Pending + "<closed>";
            }
            // The server's own keep-alive PING may come at any time; it is not part of the scenario.
            seen[user] = text.Replace("PING\r\n", "", StringComparison.Ordinal);
        }
        return seen;
    }

    public static async ValueTask DisposeAsync(Dictionary<string, RawClient> clients)
    {
        foreach (var client in clients.Values) await client.DisposeAsync();
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Broker.Configuration;
using Broker.Subjects;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Security;

/// <summary>
/// Random users with random publish/subscribe allow and deny lists, random subscriptions and
/// publishes, checked against a model: every refused SUB and PUB gets its -ERR, and each
/// subscriber receives exactly what it may see; no user ever gets a message it is denied.
/// </summary>
public partial class PermissionsPropertyTests
{
    private static readonly string[] Subjects = ["a.a", "a.b", "b.a", "b.b", "c"];
    private static readonly string[] Patterns = ["a.a", "a.b", "b.a", "a.*", "*.b", "a.>", ">", "c"];

    private sealed record User(string[]? PubAllow, string[]? PubDeny, string[]? SubAllow, string[]? SubDeny);

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    public async Task Deliveries_and_errors_match_the_model(int seed)
    {
        var random = new Random(seed);
        // Allow lists always include the marker subject the test uses to know a client has seen everything.
        var users = Enumerable.Range(0, 4).Select(_ => new User(WithMarker(Some(random)), Some(random), WithMarker(Some(random)), Some(random))).ToArray();
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(ConfigOf(users)) with { Host = o.Host, Port = o.Port });

        var clients = new RawClient[users.Length];
        var subscriptions = new List<(int User, string Pattern, int Sid)>();
        try
        {
            for (var u = 0; u < users.Length; u++)
            {
                clients[u] = await RawClient.ConnectAsync(broker.Port);
                var patterns = Patterns.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray();
                var expectedErrors = new StringBuilder();
                var input = new StringBuilder($"CONNECT {{\"verbose\":false,\"user\":\"u{u}\",\"pass\":\"p\"}}\r\n");
                for (var i = 0; i < patterns.Length; i++)
                {
                    input.Append($"SUB {patterns[i]} {i + 1}\r\n");
                    if (MaySubscribe(users[u], patterns[i])) subscriptions.Add((u, patterns[i], i + 1));
                    else expectedErrors.Append($"-ERR 'Permissions Violation for Subscription to \"{patterns[i]}\"'\r\n");
                }
                if (!MaySubscribe(users[u], "marker")) expectedErrors.Append("-ERR 'Permissions Violation for Subscription to \"marker\"'\r\n");
                await clients[u].SendAsync(input.Append("SUB marker 99\r\nPING\r\n").ToString());
                Assert.Equal(expectedErrors + "PONG\r\n", await clients[u].ReadUntilAsync("PONG\r\n"));
            }

            var publishes = Enumerable.Range(0, 25).Select(n => (User: random.Next(users.Length), Subject: Subjects[random.Next(Subjects.Length)], N: n)).ToList();
            var publishErrors = new StringBuilder[users.Length].Select(_ => new StringBuilder()).ToArray();
            foreach (var (user, subject, n) in publishes)
            {
                await clients[user].SendAsync($"PUB {subject} {n.ToString().Length}\r\n{n}\r\n");
                if (!MayPublish(users[user], subject)) publishErrors[user].Append($"-ERR 'Permissions Violation for Publish to \"{subject}\"'\r\n");
            }
            // Each client's publishes are processed in order; its errors precede its PONG, and every delivery it caused is queued by then.
            for (var u = 0; u < users.Length; u++) await clients[u].SendAsync("PING\r\n");
            var beforePong = new string[users.Length];
            for (var u = 0; u < users.Length; u++) beforePong[u] = await clients[u].ReadUntilAsync("PONG\r\n");

            for (var u = 0; u < users.Length; u++)
            {
                await clients[u].SendAsync(MayPublish(users[u], "marker") ? "PUB marker 3\r\nend\r\nPING\r\n" : "PING\r\n");
                var rest = MayPublish(users[u], "marker") && MaySubscribe(users[u], "marker")
                    ? await clients[u].ReadUntilAsync("MSG marker 99 3\r\nend\r\n")
                    : await clients[u].ReadUntilAsync("PONG\r\n");
                var received = beforePong[u] + rest;
                var expected = publishes
                    .Where(p => MayPublish(users[p.User], p.Subject))
                    .SelectMany(p => subscriptions.Where(s => s.User == u && Matches(s.Pattern, p.Subject) && !Denied(users[u].SubDeny, p.Subject))
                        .Select(s => $"{p.Subject} {s.Sid}={p.N}"))
                    .Order().ToList();
                Assert.True(expected.SequenceEqual(MessagesOf(received).Order()),
                    $"seed {seed}, user {u}:\nexpected {string.Join(", ", expected)}\nreceived {string.Join(", ", MessagesOf(received).Order())}\nconfig:\n{ConfigOf(users)}");
                var errors = string.Concat(received.Split("\r\n").Where(l => l.StartsWith("-ERR", StringComparison.Ordinal)).Select(l => l + "\r\n"));
                Assert.Equal(publishErrors[u].ToString(), errors);
            }
        }
        finally
        {
            foreach (var client in clients) if (client is not null) await client.DisposeAsync();
        }
    }

    private static string[]? Some(Random random) =>
        random.Next(3) == 0 ? null : Patterns.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToArray();

    private static string[]? WithMarker(string[]? allow) => allow is null ? null : [.. allow, "marker"];

    private static bool Matches(string pattern, string subject) => SubjectMatcher.Matches(Encoding.ASCII.GetBytes(pattern), Encoding.ASCII.GetBytes(subject));

    private static bool Denied(string[]? deny, string subject) => deny is not null && deny.Any(d => Matches(d, subject));

    // The model, stated plainly: publish needs an allow that matches and no deny that matches;
    // subscribe needs an allow covering the whole pattern and no deny covering it.
    private static bool MayPublish(User user, string subject) =>
        (user.PubAllow is null || user.PubAllow.Any(a => Matches(a, subject))) && !Denied(user.PubDeny, subject);

    private static bool MaySubscribe(User user, string pattern) =>
        (user.SubAllow is null || user.SubAllow.Any(a => SubjectPatterns.IsSubsetOf(pattern, a)))
        && (user.SubDeny is null || !user.SubDeny.Any(d => SubjectPatterns.IsSubsetOf(pattern, d)));

    private static string ConfigOf(User[] users)
    {
        static string List(string[]? subjects) => subjects is null ? "" : $"[{string.Join(", ", subjects.Select(s => $"\"{s}\""))}]";
        static string Rule(string name, string[]? allow, string[]? deny) =>
            allow is null && deny is null ? "" : $"{name}: {{ {string.Join(", ", new[] { allow is null ? null : $"allow: {List(allow)}", deny is null ? null : $"deny: {List(deny)}" }.OfType<string>())} }}\n";
        var text = new StringBuilder("authorization { users: [\n");
        for (var u = 0; u < users.Length; u++)
        {
            var rules = Rule("publish", users[u].PubAllow, users[u].PubDeny) + Rule("subscribe", users[u].SubAllow, users[u].SubDeny);
            text.Append($"  {{ user: u{u}, password: p{(rules.Length == 0 ? "" : $", permissions: {{\n{rules}}}")} }}\n");
        }
        return text.Append("] }\n").ToString();
    }

    private static List<string> MessagesOf(string text) =>
        MsgFrame().Matches(text).Where(m => m.Groups[1].Value != "marker").Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}={m.Groups[3].Value}").ToList();

    [GeneratedRegex(@"MSG (\S+) (\d+) \d+\r\n([^\r]*)\r\n")]
    private static partial Regex MsgFrame();
}

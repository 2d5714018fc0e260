using System.Text;
using System.Text.RegularExpressions;
using Broker.Configuration;
using Broker.Subjects;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Accounts;

/// <summary>
/// Random accounts, exports, imports, subscribers and publishers, checked against a model of
/// NATS 2.0's rule: a message reaches another account only through a stream that account imported
/// (under its prefix), following chains of imports. Every subscriber must get exactly the
/// messages the model predicts: nothing missing, nothing leaked.
/// </summary>
public partial class AccountIsolationPropertyTests
{
    private static readonly string[] Subjects = ["a.a", "a.b", "b.a", "b.b"];
    private static readonly string[] Patterns = ["a.a", "a.b", "b.a", "b.b", "a.*", "*.b", "a.>", ">"];

    private sealed record Import(int From, string Subject, string? Prefix);

    private sealed record Scenario(int Accounts, List<string>[] Exports, List<Import>[] Imports, List<(int Account, string Pattern)> Subscribers,
        List<(int Account, string Subject)> Publishes);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public async Task Deliveries_match_the_model(int seed)
    {
        var scenario = Generate(new Random(seed));
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse(ConfigOf(scenario)) with { Host = o.Host, Port = o.Port });

        var subscribers = new List<RawClient>();
        try
        {
            foreach (var (account, pattern) in scenario.Subscribers)
            {
                var client = await ConnectAs(broker.Port, account);
                await client.SendAsync($"SUB {pattern} 1\r\nSUB marker 2\r\nPING\r\n");
                await client.ReadUntilAsync("PONG\r\n");
                subscribers.Add(client);
            }
            var publishers = new Dictionary<int, RawClient>();
            var n = 0;
            foreach (var (account, subject) in scenario.Publishes)
            {
                if (!publishers.TryGetValue(account, out var publisher)) publishers[account] = publisher = await ConnectAs(broker.Port, account);
                await publisher.SendAsync($"PUB {subject} {n.ToString().Length}\r\n{n}\r\n");
                n++;
            }
            foreach (var publisher in publishers.Values)
            {
                await publisher.SendAsync("PING\r\n");
                await publisher.ReadUntilAsync("PONG\r\n");
            }

            for (var i = 0; i < subscribers.Count; i++)
            {
                // Everything published is already queued for this subscriber; a marker from its own
                // connection comes after it, so what precedes the marker is all it will ever get.
                await subscribers[i].SendAsync("PUB marker 3\r\nend\r\n");
                var received = MessagesOf(await subscribers[i].ReadUntilAsync("MSG marker 2 3\r\nend\r\n"));
                var expected = Expected(scenario, i);
                Assert.True(expected.Order().SequenceEqual(received.Order()),
                    $"seed {seed}, subscriber {i} ({scenario.Subscribers[i]}):\nexpected {string.Join(", ", expected.Order())}\nreceived {string.Join(", ", received.Order())}\nconfig:\n{ConfigOf(scenario)}");
            }
            foreach (var publisher in publishers.Values) await publisher.DisposeAsync();
        }
        finally
        {
            foreach (var subscriber in subscribers) await subscriber.DisposeAsync();
        }
    }

    private static Scenario Generate(Random random)
    {
        var accounts = random.Next(2, 5);
        var exports = new List<string>[accounts];
        var imports = new List<Import>[accounts];
        for (var i = 0; i < accounts; i++)
        {
            exports[i] = Patterns.OrderBy(_ => random.Next()).Take(random.Next(0, 3)).ToList();
            imports[i] = [];
        }
        // Imports only from lower-numbered accounts: a chain, never a cycle (cycles are refused at start).
        for (var i = 1; i < accounts; i++)
        {
            for (var from = 0; from < i; from++)
            {
                foreach (var export in exports[from])
                {
                    if (random.Next(3) == 0) continue;
                    var subject = random.Next(2) == 0 ? export : Subjects.FirstOrDefault(s => SubjectPatterns.IsSubsetOf(s, export) && random.Next(2) == 0) ?? export;
                    imports[i].Add(new Import(from, subject, random.Next(2) == 0 ? $"p{from}" : null));
                }
            }
        }
        var subscribers = Enumerable.Range(0, random.Next(4, 9))
            .Select(_ => (random.Next(accounts), random.Next(3) == 0 ? $"p{random.Next(accounts)}.>" : random.Next(4) == 0 ? ">" : Patterns[random.Next(Patterns.Length)]))
            .ToList();
        var publishes = Enumerable.Range(0, 30).Select(_ => (random.Next(accounts), Subjects[random.Next(Subjects.Length)])).ToList();
        return new Scenario(accounts, exports, imports, subscribers, publishes);
    }

    private static string ConfigOf(Scenario s)
    {
        var text = new StringBuilder("accounts {\n");
        for (var i = 0; i < s.Accounts; i++)
        {
            text.Append($"  A{i} {{\n    users: [ {{ user: u{i}, password: p }} ]\n");
            text.Append($"    exports: [ {string.Join(", ", s.Exports[i].Select(e => $"{{ stream: \"{e}\" }}"))} ]\n");
            text.Append($"    imports: [ {string.Join(", ", s.Imports[i].Select(m =>
                $"{{ stream: {{ account: A{m.From}, subject: \"{m.Subject}\" }}{(m.Prefix is null ? "" : $", prefix: {m.Prefix}")} }}"))} ]\n  }}\n");
        }
        return text.Append("}\n").ToString();
    }

    /// <summary>The model: where a message published in one account shows up, under which subject.</summary>
    private static List<string> Expected(Scenario s, int subscriberIndex)
    {
        var (account, pattern) = s.Subscribers[subscriberIndex];
        var expected = new List<string>();
        for (var n = 0; n < s.Publishes.Count; n++)
        {
            var (from, subject) = s.Publishes[n];
            foreach (var (reached, asSubject) in Reach(s, from, subject))
            {
                if (reached == account && SubjectMatcher.Matches(Encoding.ASCII.GetBytes(pattern), Encoding.ASCII.GetBytes(asSubject)))
                    expected.Add($"{asSubject}={n}");
            }
        }
        return expected;
    }

    private static IEnumerable<(int Account, string Subject)> Reach(Scenario s, int account, string subject)
    {
        yield return (account, subject);
        for (var to = 0; to < s.Accounts; to++)
        {
            foreach (var import in s.Imports[to].Where(i => i.From == account && SubjectPatterns.IsSubsetOf(subject, i.Subject)))
            {
                foreach (var further in Reach(s, to, import.Prefix is null ? subject : $"{import.Prefix}.{subject}")) yield return further;
            }
        }
    }

    private static async Task<RawClient> ConnectAs(int port, int account)
    {
        var client = await RawClient.ConnectAsync(port);
        await client.SendAsync($"CONNECT {{\"verbose\":false,\"user\":\"u{account}\",\"pass\":\"p\"}}\r\nPING\r\n");
        await client.ReadUntilAsync("PONG\r\n");
        return client;
    }

    private static List<string> MessagesOf(string text) =>
        MsgFrame().Matches(text).Where(m => m.Groups[1].Value != "marker").Select(m => $"{m.Groups[1].Value}={m.Groups[2].Value}").ToList();

    [GeneratedRegex(@"MSG (\S+) \d+ \d+\r\n([^\r]*)\r\n")]
    private static partial Regex MsgFrame();
}

using System.Text;
using Broker.Accounts;
using Broker.Subjects;

namespace Broker.Tests.Subjects;

/// <summary>The sharded, cached index against a naive token-by-token matcher, over random subjects and changes.</summary>
public class SubjectIndexPropertyTests
{
    private static readonly string[] Tokens = ["a", "b", "c", "foo"];

    private sealed class NullSubscriber : Subscriber
    {
        public override void Deliver(Subscription s, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> body, int headerSize, DeliveryContext context) { }
        public override void Flush() { }
        public override void OnAutoUnsubscribed(Subscription subscription) { }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void Matches_agree_with_a_naive_model_through_inserts_removes_and_cached_lookups(int shards)
    {
        var owner = new NullSubscriber();
        for (var seed = 0; seed < 60; seed++)
        {
            var random = new Random(seed * 31 + shards);
            var index = new SubjectIndex(shards);
            var live = new List<Subscription>();
            for (var step = 0; step < 150; step++)
            {
                var roll = random.Next(10);
                if (roll < 4 || live.Count == 0)
                {
                    var queue = random.Next(3) == 0 ? Encoding.ASCII.GetBytes(random.Next(2) == 0 ? "q1" : "q2") : null;
                    var sub = new Subscription(owner, Encoding.ASCII.GetBytes(RandomPattern(random)), queue, Encoding.ASCII.GetBytes(step.ToString()));
                    index.Apply(index.ShardOf(sub.Subject), sub, add: true);
                    live.Add(sub);
                }
                else if (roll < 6)
                {
                    var sub = live[random.Next(live.Count)];
                    index.Apply(index.ShardOf(sub.Subject), sub, add: false);
                    live.Remove(sub);
                }
                else
                {
                    // Lookups fill the cache, so later changes must invalidate exactly the right entries.
                    var subject = RandomSubject(random);
                    AssertSameAsModel(index.Match(Encoding.ASCII.GetBytes(subject)), live, subject);
                }
            }
            Assert.Equal(live.Count, index.SubscriptionCount);
        }
    }

    [Theory]
    [InlineData("foo", "foo", true)]
    [InlineData("foo.*", "foo.bar", true)]
    [InlineData("foo.*", "foo", false)]
    [InlineData("foo.*", "foo.bar.baz", false)]
    [InlineData("foo.>", "foo.bar.baz", true)]
    [InlineData("foo.>", "foo", false)]
    [InlineData(">", "a", true)]
    [InlineData("*.b.>", "a.b.c", true)]
    [InlineData("*.b.>", "a.b", false)]
    [InlineData("a.*.c", "a.b.c", true)]
    public void Matcher_cases(string pattern, string subject, bool matches)
    {
        Assert.Equal(matches, SubjectMatcher.Matches(Encoding.ASCII.GetBytes(pattern), Encoding.ASCII.GetBytes(subject)));
        Assert.Equal(matches, NaiveMatches(pattern, subject));
    }

    [Fact]
    public void Queue_groups_of_one_name_from_different_patterns_and_shards_merge_into_one_group()
    {
        var owner = new NullSubscriber();
        var index = new SubjectIndex(4);
        var literal = new Subscription(owner, "foo.bar"u8.ToArray(), "q"u8.ToArray(), "1"u8.ToArray());
        var wildcard = new Subscription(owner, "*.bar"u8.ToArray(), "q"u8.ToArray(), "2"u8.ToArray());
        index.Apply(index.ShardOf(literal.Subject), literal, add: true);
        index.Apply(index.ShardOf(wildcard.Subject), wildcard, add: true);

        var group = Assert.Single(index.Match("foo.bar"u8).QueueGroups);
        Assert.Equal(2, group.Length);
        Assert.NotEqual(index.ShardOf(literal.Subject), index.ShardOf(wildcard.Subject));
    }

    [Theory]
    [InlineData("foo", true, true)]
    [InlineData("foo.bar.*", true, false)]
    [InlineData("foo.>", true, false)]
    [InlineData("foo*.bar", true, true)]
    [InlineData("", false, false)]
    [InlineData(".foo", false, false)]
    [InlineData("foo.", false, false)]
    [InlineData("foo..bar", false, false)]
    [InlineData("foo.>.bar", false, false)]
    [InlineData("foo bar", false, false)]
    [InlineData("foo\tbar", false, false)]
    public void Subject_validation(string subject, bool validSubscribe, bool validPublish)
    {
        var bytes = Encoding.ASCII.GetBytes(subject);
        Assert.Equal(validSubscribe, SubjectValidator.IsValidSubscribeSubject(bytes));
        Assert.Equal(validPublish, SubjectValidator.IsValidPublishSubject(bytes));
    }

    private static void AssertSameAsModel(MatchResult result, List<Subscription> live, string subject)
    {
        var expectedPlain = live.Where(s => s.Queue is null && NaiveMatches(s.SubjectText, subject)).ToHashSet();
        var expectedGroups = live.Where(s => s.Queue is not null && NaiveMatches(s.SubjectText, subject))
            .GroupBy(s => s.QueueText!)
            .ToDictionary(g => g.Key, g => g.ToHashSet());

        Assert.True(expectedPlain.SetEquals(result.Plain), $"plain subscriptions differ for {subject}");
        Assert.Equal(result.Plain.Length, expectedPlain.Count);
        Assert.Equal(expectedGroups.Count, result.QueueGroups.Length);
        foreach (var group in result.QueueGroups)
        {
            Assert.True(expectedGroups[group[0].QueueText!].SetEquals(group), $"queue group {group[0].QueueText} differs for {subject}");
            Assert.Equal(group.Length, group.Distinct().Count());
        }
    }

    private static bool NaiveMatches(string pattern, string subject)
    {
        var p = pattern.Split('.');
        var s = subject.Split('.');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == ">") return s.Length > i;
            if (i >= s.Length) return false;
            if (p[i] != "*" && p[i] != s[i]) return false;
        }
        return p.Length == s.Length;
    }

    private static string RandomSubject(Random random) =>
        string.Join('.', Enumerable.Range(0, random.Next(1, 4)).Select(_ => Tokens[random.Next(Tokens.Length)]));

    private static string RandomPattern(Random random)
    {
        var length = random.Next(1, 4);
        var tokens = new string[length];
        for (var i = 0; i < length; i++)
        {
            var roll = random.Next(10);
            tokens[i] = roll < 2 ? "*" : roll == 2 && i == length - 1 ? ">" : Tokens[random.Next(Tokens.Length)];
        }
        return string.Join('.', tokens);
    }
}

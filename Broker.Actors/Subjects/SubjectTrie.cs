namespace Broker.Subjects;

/// <summary>
/// Subscriptions by subject token, with <c>*</c> and <c>&gt;</c> branches. Not thread-safe by
/// itself: one writer at a time, readers excluded while it writes (see SubjectShard).
/// </summary>
public sealed class SubjectTrie
{
    private readonly Node _root = new();

    public int Count { get; private set; }

    public void Insert(Subscription subscription)
    {
        var node = _root;
        foreach (var token in Tokens(subscription.Subject))
        {
            node = node.Child(token, create: true)!;
        }
        node.Add(subscription);
        Count++;
    }

    /// <returns>False when the subscription was not in the trie.</returns>
    public bool Remove(Subscription subscription)
    {
        // Remember the path so emptied nodes can be pruned bottom-up.
        var path = new List<(Node Parent, byte[] Token, Node Child)>();
        var node = _root;
        foreach (var token in Tokens(subscription.Subject))
        {
            var child = node.Child(token, create: false);
            if (child is null) return false;
            path.Add((node, token, child));
            node = child;
        }
        if (!node.Remove(subscription)) return false;
        Count--;
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var (parent, token, child) = path[i];
            if (!child.IsEmpty) break;
            parent.RemoveChild(token);
        }
        return true;
    }

    public void Match(ReadOnlySpan<byte> subject, MatchResultBuilder into)
    {
        Span<Range> tokens = stackalloc Range[Math.Min(subject.Length + 1, 256)];
        var count = Split(subject, tokens);
        if (count < 0)
        {
            // More tokens than the stack buffer: rare and only on a cache miss.
            var large = new Range[subject.Length + 1];
            count = Split(subject, large);
            MatchNode(_root, subject, large.AsSpan(0, count), into);
            return;
        }
        MatchNode(_root, subject, tokens[..count], into);
    }

    private static void MatchNode(Node node, ReadOnlySpan<byte> subject, ReadOnlySpan<Range> tokens, MatchResultBuilder into)
    {
        if (tokens.IsEmpty)
        {
            node.CollectInto(into);
            return;
        }
        node.FullWildcard?.CollectInto(into);
        if (node.SingleWildcard is { } star) MatchNode(star, subject, tokens[1..], into);
        if (node.LiteralChild(subject[tokens[0]]) is { } literal) MatchNode(literal, subject, tokens[1..], into);
    }

    private static int Split(ReadOnlySpan<byte> subject, Span<Range> tokens)
    {
        var count = 0;
        var start = 0;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length && subject[i] != (byte)'.') continue;
            if (count == tokens.Length) return -1;
            tokens[count++] = new Range(start, i);
            start = i + 1;
        }
        return count;
    }

    private static IEnumerable<byte[]> Tokens(byte[] subject)
    {
        var start = 0;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length && subject[i] != (byte)'.') continue;
            yield return subject[start..i];
            start = i + 1;
        }
    }

    private sealed class Node
    {
        private Dictionary<byte[], Node>? _literals;
        private List<Subscription>? _plain;
        private Dictionary<string, List<Subscription>>? _queues;

        public Node? SingleWildcard { get; private set; }
        public Node? FullWildcard { get; private set; }

        public bool IsEmpty =>
            (_literals is null || _literals.Count == 0) && SingleWildcard is null && FullWildcard is null
            && (_plain is null || _plain.Count == 0) && (_queues is null || _queues.Count == 0);

        public Node? LiteralChild(ReadOnlySpan<byte> token)
        {
            if (_literals is null) return null;
            return _literals.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(token, out var child) ? child : null;
        }

        public Node? Child(byte[] token, bool create)
        {
            if (token is [(byte)'*'])
            {
                if (SingleWildcard is null && create) SingleWildcard = new Node();
                return SingleWildcard;
            }
            if (token is [(byte)'>'])
            {
                if (FullWildcard is null && create) FullWildcard = new Node();
                return FullWildcard;
            }
            _literals ??= new Dictionary<byte[], Node>(ByteSequenceComparer.Instance);
            if (_literals.TryGetValue(token, out var child)) return child;
            if (!create) return null;
            child = new Node();
            _literals.Add(token, child);
            return child;
        }

        public void RemoveChild(byte[] token)
        {
            if (token is [(byte)'*']) SingleWildcard = null;
            else if (token is [(byte)'>']) FullWildcard = null;
            else _literals?.Remove(token);
        }

        public void Add(Subscription subscription)
        {
            if (subscription.QueueText is null)
            {
                (_plain ??= new List<Subscription>()).Add(subscription);
                return;
            }
            _queues ??= new Dictionary<string, List<Subscription>>(StringComparer.Ordinal);
            if (!_queues.TryGetValue(subscription.QueueText, out var members))
            {
                members = new List<Subscription>();
                _queues.Add(subscription.QueueText, members);
            }
            members.Add(subscription);
        }

        public bool Remove(Subscription subscription)
        {
            if (subscription.QueueText is null) return _plain?.Remove(subscription) ?? false;
            if (_queues is null || !_queues.TryGetValue(subscription.QueueText, out var members)) return false;
            if (!members.Remove(subscription)) return false;
            if (members.Count == 0) _queues.Remove(subscription.QueueText);
            return true;
        }

        public void CollectInto(MatchResultBuilder into)
        {
            if (_plain is { Count: > 0 }) into.AddPlain(_plain);
            if (_queues is null) return;
            foreach (var (queue, members) in _queues) into.AddQueue(queue, members);
        }
    }
}

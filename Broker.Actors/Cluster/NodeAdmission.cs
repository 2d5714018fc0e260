using System.Collections.Concurrent;
using System.Security.Cryptography;
using Akka.Actor;
using Broker.Configuration;
using Broker.Security;

namespace Broker.Cluster;

/// <summary>
/// Which cluster members this node believes are brokers of its cluster. Being an Akka member is
/// not enough (anyone who reaches a seed node can join): each member is sent a
/// <see cref="Challenge"/> and admitted only once its <see cref="Proof"/> shows it holds the
/// cluster's credentials. Only an admitted member is sent a <see cref="Hello"/>, and its Hello
/// carries a ticket that the member's data connection must present: the data port believes
/// only a connection bound to an admitted member, never the name a peer states.
/// Owned by <see cref="ClusterNodeActor"/>; <see cref="Tickets"/> is also read by the data port.
/// </summary>
internal sealed class NodeAdmission(LinkAuthorization? required, LinkCredentials? presented)
{
    private readonly Dictionary<Address, Pending> _pending = new();
    private readonly Dictionary<Address, Admitted> _admitted = new();
    private readonly byte[] _verifierKey = LinkAuthentication.VerifierKey(required);
    private readonly string _salt = LinkAuthentication.SaltOf(required);
    // The key each member's challenge asked for (its salt), kept to seal what this node sends it.
    private readonly Dictionary<Address, byte[]> _sealKeys = new();
    // Hashing a clear password under a member's salt costs a bcrypt round: once per salt.
    private readonly Dictionary<string, byte[]> _keysBySalt = new(StringComparer.Ordinal);

    /// <summary>The highest bcrypt cost a challenge may ask this node to hash with (nats-server's <c>bcrypt</c> tool uses 11).</summary>
    public const int MaxBcryptCost = 13;

    private sealed class Pending(byte[] nonce)
    {
        public byte[] Nonce { get; } = nonce;
        public long SentAt { get; set; } = Environment.TickCount64;
        public int Attempts { get; set; } = 1;
        // A Hello can overtake the proof that admits its sender: it waits here.
        public Hello? EarlyHello { get; set; }
        public IActorRef? EarlyHelloFrom { get; set; }
    }

    private sealed record Admitted(IActorRef Actor, string Ticket);

    /// <summary>Whether strangers are refused (authorization configured) rather than admitted on any answer.</summary>
    public bool Required => required is not null;

    /// <summary>How long a member has to answer a challenge.</summary>
    public TimeSpan Timeout => required?.Timeout ?? TimeSpan.FromSeconds(2);

    /// <summary>The ticket a data connection presents, and the admitted member (node id, actor uid) it binds to.</summary>
    public ConcurrentDictionary<string, (string Node, long Uid)> Tickets { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The challenge for <paramref name="member"/>: a new one, or the one still unanswered again
    /// (the same nonce, so an answer already on its way still counts).
    /// </summary>
    public Challenge Challenge(Address member)
    {
        if (_pending.TryGetValue(member, out var pending))
        {
            pending.Attempts++;
            pending.SentAt = Environment.TickCount64;
            return new Challenge(pending.Nonce) { Salt = _salt };
        }
        var nonce = LinkAuthentication.NewNonce();
        _pending[member] = new Pending(nonce);
        return new Challenge(nonce) { Salt = _salt };
    }

    /// <summary>How many challenges <paramref name="member"/> was sent without answering (0: none pending).</summary>
    public int Attempts(Address member, byte[] nonce) =>
        _pending.TryGetValue(member, out var pending) && pending.Nonce.AsSpan().SequenceEqual(nonce) ? pending.Attempts : 0;

    /// <summary>How long since the unanswered challenge to <paramref name="member"/> was last sent; zero when none is pending.</summary>
    public TimeSpan UnansweredFor(Address member) =>
        _pending.TryGetValue(member, out var pending) ? TimeSpan.FromMilliseconds(Environment.TickCount64 - pending.SentAt) : TimeSpan.Zero;

    /// <summary>This node's answer to a member's challenge; from then on, what it sends that member is sealed with the same key.</summary>
    public Proof Answer(Challenge challenge, Address self, Address member)
    {
        if (!_keysBySalt.TryGetValue(challenge.Salt, out var key))
        {
            // A salt comes from whoever sent the challenge: a malformed one, or a cost that would hold this actor for seconds, gets no real answer.
            var usable = challenge.Salt.Length == 0 || (BcryptHash.IsValid(challenge.Salt + new string('.', 31)) && int.Parse(challenge.Salt.AsSpan(4, 2)) <= MaxBcryptCost);
            key = LinkAuthentication.Key(usable ? presented : null, usable ? challenge.Salt : "");
            if (_keysBySalt.Count < 8) _keysBySalt[challenge.Salt] = key;
        }
        _sealKeys[member] = key;
        return new Proof(challenge.Nonce, LinkAuthentication.Prove(key, challenge.Nonce, self.ToString(), member.ToString()));
    }

    /// <summary>The seal of a message from this node to <paramref name="member"/>; null until this node has answered the member's challenge.</summary>
    public byte[]? SealFor(Address member, Address self) =>
        _sealKeys.TryGetValue(member, out var key) ? LinkAuthentication.Seal(key, self.ToString(), member.ToString()) : null;

    /// <summary>Whether <paramref name="seal"/> proves a message came from <paramref name="member"/>: anything does when no authorization is required.</summary>
    public bool Sealed(byte[] seal, Address member, Address self) =>
        !Required || CryptographicOperations.FixedTimeEquals(LinkAuthentication.Seal(_verifierKey, member.ToString(), self.ToString()), seal);

    /// <summary>
    /// Checks a proof against the challenge sent to its sender. Null when it answers no challenge
    /// of ours (stale or unasked: ignored); false when it is wrong; true when the member is now
    /// admitted (<paramref name="earlyHello"/>: a Hello it sent before, to be handled now).
    /// </summary>
    public bool? Check(Proof proof, IActorRef member, Address self, out (Hello Hello, IActorRef From)? earlyHello)
    {
        earlyHello = null;
        var address = member.Path.Address;
        if (!_pending.TryGetValue(address, out var pending) || !pending.Nonce.AsSpan().SequenceEqual(proof.Nonce)) return null;
        if (required is not null && !CryptographicOperations.FixedTimeEquals(LinkAuthentication.Prove(_verifierKey, proof.Nonce, address.ToString(), self.ToString()), proof.Mac)) return false;
        _pending.Remove(address);
        if (pending.EarlyHello is { } hello && pending.EarlyHelloFrom is { } from) earlyHello = (hello, from);
        var ticket = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _admitted[address] = new Admitted(member, ticket);
        Tickets[ticket] = (address.ToString(), member.Path.Uid);
        return true;
    }

    public bool IsAdmitted(IActorRef actor) => _admitted.TryGetValue(actor.Path.Address, out var admitted) && admitted.Actor.Equals(actor);

    /// <summary>The ticket this node gave <paramref name="member"/> for its data connection; null when not admitted.</summary>
    public string? TicketFor(IActorRef member) => IsAdmitted(member) ? _admitted[member.Path.Address].Ticket : null;

    /// <summary>Keeps a Hello from a member still being checked; false when the member is not being checked (the Hello is ignored).</summary>
    public bool HoldHello(Hello hello, IActorRef from)
    {
        if (!_pending.TryGetValue(from.Path.Address, out var pending)) return false;
        (pending.EarlyHello, pending.EarlyHelloFrom) = (hello, from);
        return true;
    }

    /// <summary>The member left, was downed or restarted: its admission, pending check and tickets go.</summary>
    public void Forget(Address member)
    {
        _pending.Remove(member);
        _sealKeys.Remove(member);
        if (_admitted.Remove(member, out var admitted)) Tickets.TryRemove(admitted.Ticket, out _);
    }
}

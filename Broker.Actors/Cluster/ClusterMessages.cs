namespace Broker.Cluster;

/// <summary>Marks the messages nodes exchange, so Akka serializes them with <see cref="ClusterMessageSerializer"/>.</summary>
public interface IClusterMessage;

/// <summary>One remote interest: an account's subject, with its queue group when it has one. Equal entries are one interest.</summary>
public sealed record InterestEntry(string Account, string Subject, string? Queue);

/// <summary>First contact, sent when a member comes up: "tell me your interest". Answered with <see cref="Hello"/>.</summary>
public sealed record Greet : IClusterMessage
{
    public static readonly Greet Instance = new();
}

/// <summary>
/// A node's whole interest and its client URL, sent when it starts talking to a peer. It replaces
/// whatever the receiver had from that node; the deltas that follow come in order after it.
/// </summary>
public sealed record Hello(string Node, string ClientUrl, IReadOnlyList<InterestEntry> Interest) : IClusterMessage
{
    /// <summary>The node's gateway URL when its region is part of a supercluster: the region tells other regions all of them.</summary>
    public string GatewayUrl { get; init; } = "";
}

/// <summary>Interest a node gained (its first local subscription for the entry) or lost (its last).</summary>
public sealed record InterestChanged(string Node, IReadOnlyList<InterestEntry> Added, IReadOnlyList<InterestEntry> Removed) : IClusterMessage;

/// <summary>
/// Messages of one account, in publish order: the account's name (<see cref="AccountPrefix"/>),
/// then the messages encoded by <see cref="MessageFrames"/>. Kept in this wire form from the
/// sending link to the receiving delivery, so serialization copies nothing.
/// </summary>
public sealed class MessageBatch(byte[] wire) : IClusterMessage
{
    public byte[] Wire { get; } = wire;

    public static MessageBatch Of(string account, ReadOnlySpan<byte> frames)
    {
        var prefix = AccountPrefix.For(account);
        var wire = new byte[prefix.Length + frames.Length];
        prefix.CopyTo(wire, 0);
        frames.CopyTo(wire.AsSpan(prefix.Length));
        return new MessageBatch(wire);
    }

    /// <summary>The account's name, and where its messages start.</summary>
    public string ReadAccount(out int framesAt) => AccountPrefix.Read(Wire, out framesAt);
}

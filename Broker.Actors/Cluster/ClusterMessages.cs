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

/// <summary>Messages of one account, in publish order, encoded by <see cref="MessageFrames"/>.</summary>
public sealed record MessageBatch(string Account, byte[] Frames) : IClusterMessage;


namespace Broker.Cluster;

/// <summary>Marks the messages nodes exchange, so Akka serializes them with <see cref="ClusterMessageSerializer"/>.</summary>
public interface IClusterMessage;

/// <summary>One remote interest: an account's subject, with its queue group when it has one. Equal entries are one interest.</summary>
public sealed record InterestEntry(string Account, string Subject, string? Queue);

/// <summary>
/// First contact, sent to a member when it comes up: "prove you hold the cluster's credentials".
/// Answered with <see cref="Proof"/>; only a member that proved it is sent a <see cref="Hello"/>.
/// </summary>
public sealed record Challenge(byte[] Nonce) : IClusterMessage
{
    /// <summary>The bcrypt salt of the challenger's secret when it holds a hash (see <see cref="Broker.Security.LinkAuthentication.Key"/>), else empty.</summary>
    public string Salt { get; init; } = "";
}

/// <summary>The answer to a <see cref="Challenge"/>: an HMAC of its nonce and both nodes' addresses, keyed by the credentials.</summary>
public sealed record Proof(byte[] Nonce, byte[] Mac) : IClusterMessage;

/// <summary>
/// A node introducing itself to a peer: its client URL, and the port of its data listener, where
/// the peer opens the connection its interest and messages travel on (see <see cref="NodeFrames"/>).
/// </summary>
public sealed record Hello(string Node, string ClientUrl) : IClusterMessage
{
    /// <summary>The node's gateway URL when its region is part of a supercluster: the region tells other regions all of them.</summary>
    public string GatewayUrl { get; init; } = "";

    /// <summary>The port peers open their data connection to, on the node's Akka host.</summary>
    public int DataPort { get; init; }

    /// <summary>What the receiver's data connection to the sender must present first: it binds that connection to the receiver (see <see cref="NodeAdmission"/>).</summary>
    public string Ticket { get; init; } = "";

    /// <summary>Proves the Hello comes from the member it names (see <see cref="Broker.Security.LinkAuthentication.Seal"/>); empty without authorization.</summary>
    public byte[] Seal { get; init; } = [];
}

/// <summary>
/// "This node no longer routes to you": a reload removed the receiver from the sender's
/// <c>routes</c>, and the sender has closed its data connections and dropped the receiver's
/// interest. The receiver does the same, unless its own <c>routes</c> name the sender, in which
/// case it asks to be admitted again (a nats route the other side still solicits comes back).
/// </summary>
public sealed record RouteRemoved(byte[] Seal) : IClusterMessage;

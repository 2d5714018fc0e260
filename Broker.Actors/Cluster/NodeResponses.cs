using System.Collections.Concurrent;
using Broker.Accounts;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Cluster;

/// <summary>
/// Where responses for one peer's requesters go when another region sends them back through this
/// node's gateway (<c>_GR_.REGION.NODE.reply</c>, NODE the peer's <see cref="Tag"/>): one
/// <see cref="NodeLink"/> per account on the peer's data connection, made on first use, so a
/// response joins a batch on the connection other messages take (as nats-server sends a routed
/// reply on the route to its origin) instead of costing an actor message and a copy each.
/// Read from gateway read loops; owned by the peer's <see cref="RemoteNode"/>.
/// </summary>
internal sealed class NodeResponses(NodeOutbound outbound, ClusterRoute? route)
{
    private readonly ConcurrentDictionary<string, NodeLink> _links = new(StringComparer.Ordinal);

    /// <summary>The peer's tag in gateway replies (<see cref="NameTag"/>), as bytes to compare the reply's with.</summary>
    public byte[] Tag { get; } = System.Text.Encoding.ASCII.GetBytes(NameTag.Of(outbound.Node));

    /// <summary>Appends one response for the peer; it leaves at <paramref name="context"/>'s flush.</summary>
    public void Forward(
        Account account, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize, DeliveryContext context)
    {
        if (!_links.TryGetValue(account.Name, out var link))
        {
            // A static factory with its state as an argument: a capturing lambda would allocate on every call.
            link = _links.GetOrAdd(account.Name, static (name, state) => new NodeLink(name, state.outbound, state.route), (outbound, route));
        }
        // Its own message number: two responses in a row must not merge into one frame (FrameBatch).
        context.NextMessage();
        link.Forward(subject, reply, headersAndPayload, headerSize, context);
    }

    /// <summary>Sends the responses batched so far.</summary>
    public void Flush()
    {
        foreach (var link in _links.Values) link.Flush();
    }

    /// <summary>The peer is gone: nothing more is sent.</summary>
    public void Close()
    {
        foreach (var link in _links.Values) link.Close();
    }
}

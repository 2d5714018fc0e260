using System.Collections.Concurrent;
using Akka.Actor;
using Broker.Configuration;

namespace Broker.Cluster;

/// <summary>
/// The peers this node talks to, as routes: the cluster node actor adds one when a peer that is Up
/// says Hello and removes it when the peer is forgotten; monitoring (/routez, /varz, the dashboard)
/// reads them from any thread through <c>ServerContext.ClusterRoutes</c>.
/// </summary>
public sealed class ClusterRoutes(ClusterOptions? options, Func<ulong> nextId)
{
    private readonly ConcurrentDictionary<string, ClusterRoute> _byNode = new(StringComparer.Ordinal);

    /// <summary>
    /// The <c>cluster</c> block in force (a reload may change its routes); null when an embedding
    /// application clustered the ActorSystem itself.
    /// </summary>
    public ClusterOptions? Options
    {
        get => _options;
        internal set
        {
            var old = _options;
            _options = value;
            OptionsChanged?.Invoke(old, value);
        }
    }

    private ClusterOptions? _options = options;

    /// <summary>A reload changed the block (its routes): the cluster node actor closes routes that were removed.</summary>
    internal event Action<ClusterOptions?, ClusterOptions?>? OptionsChanged;

    /// <summary>Whether <paramref name="node"/>'s endpoint is among this node's configured <c>routes</c> (see <see cref="IsConfigured(string, int)"/>).</summary>
    internal bool IsConfigured(Address node) => IsConfigured(node.Host ?? "", node.Port ?? 0);

    public int Count => _byNode.Count;

    /// <summary>Every route, oldest first (nats-server lists routes in connection order).</summary>
    public IReadOnlyList<ClusterRoute> All => _byNode.Values.OrderBy(r => r.Rid).ToArray();

    /// <summary>
    /// A peer said Hello: a new route, replacing any earlier one of the same node (a new incarnation
    /// at the same address starts from zero, as a new nats route connection would).
    /// </summary>
    public ClusterRoute Add(string node, string clientUrl, IActorRef? peer = null)
    {
        var address = Address.Parse(node);
        var host = address.Host ?? "";
        var port = address.Port ?? 0;
        var route = new ClusterRoute(nextId(), node, host, port, clientUrl, IsConfigured(host, port), DateTime.UtcNow, peer);
        _byNode[node] = route;
        route.RefreshRtt(TimeSpan.Zero);
        return route;
    }

    /// <summary>The peer is gone (left, removed or unreachable).</summary>
    public void Remove(string node) => _byNode.TryRemove(node, out _);

    /// <summary>This node stops talking to the cluster.</summary>
    public void Clear() => _byNode.Clear();

    /// <summary>The route of the node <paramref name="sender"/> lives on; null for a local or unknown sender.</summary>
    public ClusterRoute? Of(IActorRef sender) =>
        sender is not null && sender.Path.Address.HasGlobalScope && _byNode.TryGetValue(sender.Path.Address.ToString(), out var route) ? route : null;

    /// <summary>The route of the node <paramref name="node"/>; null when it is not (or no longer) a peer.</summary>
    public ClusterRoute? Of(string node) => _byNode.TryGetValue(node, out var route) ? route : null;

    /// <summary>
    /// Whether the peer's endpoint is among this node's configured <c>routes</c>. Compared as text,
    /// as nats-server compares route URLs: a route named by another spelling of the same host
    /// (<c>localhost</c> for 127.0.0.1) counts as discovered, not configured.
    /// </summary>
    private bool IsConfigured(string host, int port) =>
        Options?.Routes.Any(r => r.Port == port && string.Equals(r.Host, host, StringComparison.OrdinalIgnoreCase)) ?? false;
}

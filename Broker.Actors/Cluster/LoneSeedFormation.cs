using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Akka.Remote;

namespace Broker.Cluster;

/// <summary>
/// Lets the first seed node form a new cluster alone as soon as no other seed can be in one, and
/// not while another seed may still answer. Akka's first seed forms a cluster alone once
/// <c>seed-node-timeout</c> passes without a reply from another seed; a first seed restarted into
/// its running TLS cluster on a loaded machine heard back only after 4.5 s (the fresh process's
/// first TLS handshakes), had formed a cluster of its own by then, and never merged back. So the
/// first seed's <c>seed-node-timeout</c> is long (<see cref="ClusterAkkaConfig"/>), and this actor
/// cuts it short once every other seed's latest connection attempt was refused: nothing listens
/// there, so there is no cluster to join. A seed that accepts the connection is waited for (Akka's
/// first-seed process keeps asking it every second), up to that timeout. It watches the attempts
/// Akka's first-seed process makes anyway (remoting's association errors), so it opens no
/// connection of its own. Stops once the node is a member or trying to join one.
/// </summary>
internal sealed class LoneSeedFormation : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    // Each other seed, and whether its latest connection attempt was refused.
    private readonly Dictionary<Address, bool> _refused;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Null when this node is not the first of several seeds: only a first seed forms a cluster alone.</summary>
    public static Props? PropsFor(Akka.Cluster.Cluster cluster)
    {
        var seeds = cluster.Settings.SeedNodes;
        return seeds.Count > 1 && seeds[0].Equals(cluster.SelfAddress)
            ? Akka.Actor.Props.Create(() => new LoneSeedFormation(seeds.Skip(1).ToArray()))
            : null;
    }

    public LoneSeedFormation(IReadOnlyList<Address> otherSeeds)
    {
        _refused = otherSeeds.Distinct().ToDictionary(seed => seed, _ => false);
        Receive<AssociationErrorEvent>(e => Attempted(e.RemoteAddress, IsRefusal(e.Cause)));
        Receive<AssociatedEvent>(e => Attempted(e.RemoteAddress, refused: false));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociatedEvent));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Attempted(Address seed, bool refused)
    {
        if (!_cluster.State.Members.IsEmpty)
        {
            // Members is empty until this node has joined a cluster or formed one.
            Context.Stop(Self);
            return;
        }
        if (!_refused.ContainsKey(seed)) return;
        _refused[seed] = refused;
        if (_refused.Values.All(r => r))
        {
            _log.Info("No other seed node accepts connections ({0}): forming the cluster", string.Join(", ", _refused.Keys));
            _cluster.Join(_cluster.SelfAddress);
            Context.Stop(Self);
        }
    }

    /// <summary>
    /// Whether an association failed because nothing listens at the address. Akka.Remote's TCP
    /// transport reports it as an exception of its own (internal) whose message starts with the
    /// socket's "Connection refused"; a handshake that fails or times out is not a refusal.
    /// </summary>
    internal static bool IsRefusal(Exception? cause)
    {
        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
            if (e.Message.StartsWith("Connection refused", StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

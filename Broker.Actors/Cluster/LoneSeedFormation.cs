using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Broker.Cluster;

/// <summary>
/// Lets the first seed node form a new cluster alone as soon as no other seed can be in one, and
/// not while another seed may still answer. Akka's first seed forms a cluster alone once
/// <c>seed-node-timeout</c> passes without a reply from another seed; a first seed restarted into
/// its running TLS cluster on a loaded machine heard back only after 4.5 s (the fresh process's
/// first TLS handshakes), had formed a cluster of its own by then, and never merged back. So the
/// broker's <c>seed-node-timeout</c> is long (<see cref="ClusterAkkaConfig"/>), and this actor cuts
/// it short when every other seed refuses connections: nothing listens there, so there is no
/// cluster to join. A seed that accepts the connection is waited for (Akka's first-seed process
/// keeps asking it), up to that timeout. Stops once the node is a member or trying to join one.
/// </summary>
internal sealed class LoneSeedFormation : ReceiveActor, IWithTimers
{
    /// <summary>How often the other seeds are probed while this node waits to join.</summary>
    internal static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);

    // A refused connection answers at once; a host that drops the attempt counts as absent after this.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly IReadOnlyList<Address> _otherSeeds;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ITimerScheduler Timers { get; set; } = null!;

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
        _otherSeeds = otherSeeds;
        Receive<Probe>(_ =>
        {
            if (Joined()) Context.Stop(Self);
            else AnyListening(_otherSeeds).PipeTo(Self, success: listening => new Probed(listening), failure: _ => new Probed(true));
        });
        Receive<Probed>(probed =>
        {
            if (Joined())
            {
                Context.Stop(Self);
            }
            else if (!probed.AnyListening)
            {
                _log.Info("No other seed node accepts connections ({0}): forming the cluster", string.Join(", ", _otherSeeds));
                _cluster.Join(_cluster.SelfAddress);
                Context.Stop(Self);
            }
            else
            {
                Timers.StartSingleTimer(Probe.Instance, Probe.Instance, ProbeInterval);
            }
        });
    }

    protected override void PreStart() => Self.Tell(Probe.Instance);

    // Members is empty until this node has joined a cluster or formed one (a join in progress waits for its Welcome).
    private bool Joined() => !_cluster.State.Members.IsEmpty;

    /// <summary>Whether any of the seeds accepts a TCP connection (closed at once, before any handshake).</summary>
    internal static async Task<bool> AnyListening(IEnumerable<Address> seeds)
    {
        var probes = seeds.Select(async seed =>
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(seed.Host!, seed.Port ?? 0, timeout.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return false;
            }
        }).ToList();
        return (await Task.WhenAll(probes).ConfigureAwait(false)).Any(listening => listening);
    }

    private sealed record Probe
    {
        public static readonly Probe Instance = new();
    }

    private sealed record Probed(bool AnyListening);
}

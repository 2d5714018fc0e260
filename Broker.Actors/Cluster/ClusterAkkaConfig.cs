using System.Net;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using Broker.Configuration;
using Broker.Security;

namespace Broker.Cluster;

/// <summary>
/// The Akka settings a clustered broker's ActorSystem needs, derived from the <c>cluster</c> block.
/// The file's own <c>akka { }</c> block goes on top, so operators can tune the failure detector or
/// the split-brain resolver without repeating the rest.
/// </summary>
public static class ClusterAkkaConfig
{
    /// <summary>How the broker's messages between nodes are serialized: any ActorSystem a broker clusters over needs it.</summary>
    public const string SerializationHocon = """
        akka.actor.serializers.broker-cluster = "Broker.Cluster.ClusterMessageSerializer, Broker.Actors"
        akka.actor.serialization-bindings { "Broker.Cluster.IClusterMessage, Broker.Actors" = broker-cluster }
        """;

    /// <summary>The ActorSystem name every node uses: seed-node addresses contain it, so all nodes must agree.</summary>
    public const string SystemName = "broker";

    /// <summary>
    /// Seed nodes: <c>listen</c> and <c>routes</c> together, deduplicated and sorted, so every node
    /// derives the same list whatever order they start in. Akka lets only the first seed form a new
    /// cluster by itself; the others join it (or any seed already in the cluster).
    /// </summary>
    public static IReadOnlyList<ClusterEndpoint> SeedNodes(ClusterOptions cluster) =>
        cluster.Routes.Append(Advertised(cluster)).Distinct().Order().ToArray();

    /// <summary>The address the other nodes reach this one at: a wildcard listen host is replaced by the machine's name.</summary>
    public static ClusterEndpoint Advertised(ClusterOptions cluster) => cluster.Advertise ?? Advertised(cluster.Listen);

    public static ClusterEndpoint Advertised(ClusterEndpoint listen) =>
        IsWildcard(listen.Host) ? listen with { Host = Dns.GetHostName() } : listen;

    /// <param name="tls">With <c>cluster.tls</c> remoting speaks <c>akka.ssl.tcp</c>, and seed addresses must say so.</param>
    public static string AkkaAddress(ClusterEndpoint endpoint, string systemName = SystemName, bool tls = false) =>
        $"{(tls ? "akka.ssl.tcp" : "akka.tcp")}://{systemName}@{endpoint}";

    /// <summary>
    /// The cluster settings for an ActorSystem named <paramref name="systemName"/>. Remoting's frame
    /// limit leaves room for a batch holding one message of <paramref name="maxPayload"/> bytes on
    /// top of a full one: a larger message would be dropped between nodes.
    /// </summary>
    public static Config Build(ClusterOptions cluster, string systemName = SystemName, long maxPayload = 1024 * 1024)
    {
        var frameSize = Math.Max(16L * 1024 * 1024, maxPayload + 2L * 1024 * 1024);
        var advertised = Advertised(cluster);
        var seeds = string.Join(", ", SeedNodes(cluster).Select(s => Quote(AkkaAddress(s, systemName, cluster.Tls is not null))));
        var bind = IsWildcard(cluster.Listen.Host) || advertised.Host != cluster.Listen.Host ? $"bind-hostname = {Quote(cluster.Listen.Host.Length == 0 ? "0.0.0.0" : cluster.Listen.Host)}" : "";
        // An advertised address (cluster.advertise) may name another port, forwarded to the one listened on.
        if (advertised.Port != cluster.Listen.Port) bind += $"\n  bind-port = {cluster.Listen.Port}";
        return ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.actor.serializers.broker-cluster = "Broker.Cluster.ClusterMessageSerializer, Broker.Actors"
            akka.actor.serialization-bindings { "Broker.Cluster.IClusterMessage, Broker.Actors" = broker-cluster }
            akka.remote.dot-netty.tcp {
              hostname = {{Quote(advertised.Host)}}
              port = {{advertised.Port}}
              {{bind}}
              # Whole batches of messages travel in one frame.
              maximum-frame-size = {{frameSize}}b
              send-buffer-size = 4MiB
              receive-buffer-size = 4MiB
              enable-ssl = {{(cluster.Tls is null ? "false" : "true")}}
            }
            # Formation as quick as nats-server's routes (a second apart, all listed within ~1 s of the last start):
            # a peer dialled before it was up is retried after 200 ms, not gated for Akka's 5 s; the first
            # seed forms the cluster alone as soon as no other seed accepts connections (LoneSeedFormation)
            # or every other seed answers that it is in none, and waits up to 10 s for one that accepts but
            # has not answered yet (a restarted first seed's TLS handshakes on a loaded machine took 4.5-6.6 s,
            # and after Akka's 1 s it had formed a cluster of its own; the same 10 s is what a first seed
            # waits when some seeds answer and the rest are down); the other seeds ask every 1 s (their
            # seed-node-timeout is that interval); a join not yet welcomed is retried every 500 ms (a seed
            # that came up late is found within 500 ms, not 2 s); membership moves in 100 ms steps. Failure
            # detection and downing keep Akka's defaults.
            akka.remote.retry-gate-closed-for = 200ms
            # With authorization, a connection a peer opened is never used to send to it: anyone can open one in an
            # admitted member's name, and would otherwise receive what this node sends that member.
            akka.remote.use-passive-connections = {{(cluster.Authorization is null ? "on" : "off")}}
            akka.cluster {
              seed-nodes = [{{seeds}}]
              seed-node-timeout = {{(IsFirstSeed(cluster) ? "10s" : "1s")}}
              retry-unsuccessful-join-after = 500ms
              gossip-interval = 100ms
              leader-actions-interval = 100ms
              periodic-tasks-initial-delay = 100ms
              downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
              split-brain-resolver.active-strategy = keep-majority
            }
            """);
    }

    /// <summary>
    /// What an ActorSystem of the cluster is created with: <paramref name="config"/>, and with
    /// <c>cluster.tls</c> the remoting's TLS (Akka.Remote's DotNetty SSL): this node's certificate,
    /// mutual authentication, and the peer's certificate checked against <c>ca_file</c> and, when this
    /// node dials, against the host it dialed, as on the data connections.
    /// </summary>
    public static ActorSystemSetup Setup(Config config, ClusterOptions? cluster)
    {
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        return cluster?.Tls is { } tls ? ActorSystemSetup.Create(bootstrap, LinkTlsSetup(tls)) : ActorSystemSetup.Create(bootstrap);
    }

    /// <summary>The remoting TLS of <c>cluster.tls</c> as an ActorSystem setup (for builders that add setups one by one, as Akka.Hosting's).</summary>
    // A method of its own, typed as the base Setup: compiling one that names DotNettySslSetup loads Akka.Remote, clustered or not.
    public static Setup LinkTlsSetup(TlsOptions tls) =>
        new DotNettySslSetup(tls.Certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: !tls.Insecure,
            customValidator: (certificate, _, _, errors, _) => LinkTls.Trusted(tls, certificate) && LinkTls.NamesDialedHost(tls, errors));

    /// <summary>Whether this node is the first seed, the only one that forms a new cluster alone (<see cref="LoneSeedFormation"/>).</summary>
    public static bool IsFirstSeed(ClusterOptions cluster) => SeedNodes(cluster) is { Count: > 1 } seeds && seeds[0] == Advertised(cluster);

    private static bool IsWildcard(string host) => host is "" or "0.0.0.0" or "::" or "[::]";

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

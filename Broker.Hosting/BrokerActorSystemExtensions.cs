using Akka.Configuration;
using Akka.Hosting;
using Broker.Cluster;
using Broker.Configuration;

namespace Broker.Hosting;

/// <summary>
/// The ActorSystem a broker's own options ask for, as the standalone server builds it: for an
/// application whose ActorSystem exists only to run the broker (Broker.Host is one).
/// </summary>
public static class BrokerActorSystemExtensions
{
    /// <summary>
    /// Configures the ActorSystem from <paramref name="options"/>: the file's <c>akka { }</c> block on top;
    /// with a <c>cluster { }</c> block, Akka.Cluster over remoting on the block's listen address, with its
    /// routes as seed nodes and its <c>tls</c> as the remoting's TLS; under both, <paramref name="defaults"/>.
    /// Name the system <see cref="ClusterAkkaConfig.SystemName"/> when it clusters: seed addresses contain it.
    /// Pair with <c>WithBroker(options, joinCluster: options.Cluster is not null)</c>.
    /// </summary>
    public static AkkaConfigurationBuilder WithBrokerActorSystem(this AkkaConfigurationBuilder builder, BrokerOptions options, Config? defaults = null)
    {
        var config = options.Akka ?? Config.Empty;
        if (options.Cluster is { } cluster) config = config.WithFallback(ClusterAkkaConfig.Build(cluster, maxPayload: options.MaxPayload));
        if (defaults is not null) config = config.WithFallback(defaults);
        builder.AddHocon(config, HoconAddMode.Prepend);
        if (options.Cluster?.Tls is { } tls) builder.AddSetup(ClusterAkkaConfig.LinkTlsSetup(tls));
        return builder;
    }
}

using Akka.Configuration;
using Akka.Hosting;
using Broker.Cluster;
using Broker.Configuration;
using Broker.Hosting;
using Broker.Host.Signals;
using Broker.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Host;

/// <summary>
/// The standalone server as a generic-host application of Broker.Hosting: an ActorSystem configured
/// from the options (<c>WithBrokerActorSystem</c>) running one broker (<c>WithBroker</c>).
/// </summary>
internal static class BrokerGenericHost
{
    /// <summary>
    /// Akka settings under the configuration's own <c>akka</c> block: quiet unless asked, and the
    /// host, not Akka's own SIGINT/SIGTERM hook, decides when the node leaves its cluster.
    /// </summary>
    private static readonly Config AkkaDefaults = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.stdout-loglevel = WARNING
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """);

    /// <param name="clientPort">The client port, bound before the host is built (see <see cref="HostRunner"/>).</param>
    public static IHost Build(BrokerOptions options, ServerLog log, System.Net.Sockets.Socket? clientPort = null)
    {
        // The empty builder: no appsettings files, environment or command-line configuration (the
        // flags are nats-server's, parsed by CommandLine) and no logging providers (the broker logs
        // in nats-server's format itself); each would cost start-up time for nothing.
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, TrappedSignalsLifetime>();
        builder.Services.AddAkka(ClusterAkkaConfig.SystemName, akka => akka
            .WithBrokerActorSystem(options, AkkaDefaults)
            .WithBroker(options, log, joinCluster: options.Cluster is not null, clientPort: clientPort));
        return builder.Build();
    }
}

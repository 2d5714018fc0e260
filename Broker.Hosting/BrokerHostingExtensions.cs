using Akka;
using Akka.Actor;
using Akka.Hosting;
using Broker.Configuration;
using Broker.Logging;
using Broker.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Broker.Hosting;

/// <summary>
/// Akka.Hosting support: <c>services.AddAkka("app", b =&gt; b.WithBroker(options))</c> starts a
/// broker in the application's ActorSystem when the host starts, and stops it in
/// CoordinatedShutdown (clients flushed and closed, as on SIGTERM).
/// </summary>
public static class BrokerHostingExtensions
{
    /// <summary>The name of the health check <see cref="WithBroker(AkkaConfigurationBuilder, BrokerOptions, ServerLog?)"/> registers.</summary>
    public const string HealthCheckName = "broker";

    /// <summary>
    /// Starts a broker with <paramref name="options"/> once the ActorSystem is up (the host's start
    /// waits for its listener), registers <see cref="BrokerActor"/> in the ActorRegistry, makes it
    /// reachable as <see cref="HostedBroker"/>, adds the "broker" health check, and stops it in
    /// CoordinatedShutdown's service-unbind phase.
    /// </summary>
    /// <param name="joinCluster">
    /// Opt-in: in an application whose ActorSystem is clustered (Akka.Cluster.Hosting's <c>WithClustering</c>),
    /// the broker forms a broker cluster with the brokers of the other members that opted in, over the
    /// application's own Akka.Cluster (the options' <c>cluster.authorization</c> still admits or refuses
    /// each member). Without it the broker stays a single server whatever the ActorSystem is.
    /// </param>
    /// <param name="clientPort">
    /// The client port bound ahead with <see cref="ClientListener.Bind"/>, so clients that connect while
    /// the ActorSystem starts wait in the backlog instead of being refused; the broker owns it. Null binds it at the broker's start.
    /// </param>
    public static AkkaConfigurationBuilder WithBroker(this AkkaConfigurationBuilder builder, BrokerOptions options, ServerLog? log = null, bool joinCluster = false, System.Net.Sockets.Socket? clientPort = null)
    {
        options = options with { JoinActorSystemCluster = joinCluster };
        // The broker's messages between nodes need its serializer in whatever ActorSystem carries them.
        if (joinCluster) builder.AddHocon(Broker.Cluster.ClusterAkkaConfig.SerializationHocon, HoconAddMode.Append);
        builder.AddStartup(async (system, registry) =>
        {
            var hosted = HostedBroker.Get(system);
            BrokerServer server;
            try
            {
                server = await BrokerServer.StartAsync(system, options, log, clientPort).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Akka.Hosting logs a failed startup task and carries on; an application whose broker
                // is missing must not, so the host is stopped and the ActorSystem goes down.
                hosted.Failed(e);
                (log ?? ServerLog.Null).Fatal(BrokerStartFailed.Describe(e, options));
                StopApplication(system);
                _ = CoordinatedShutdown.Get(system).Run(new BrokerStartFailed(e));
                throw;
            }
            registry.Register<BrokerActor>(system.ActorOf(Props.Create(() => new BrokerActor(server)), "broker"));
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "broker-shutdown", async () =>
            {
                await server.ShutdownAsync().ConfigureAwait(false);
                return Done.Instance;
            });
            hosted.Started(server);
            // A broker that stops by itself (its lame duck period over, or its node removed from the
            // cluster) takes the application with it, as it ends the standalone server.
            _ = server.Stopped.ContinueWith(_ => StopApplication(system), TaskScheduler.Default);
        });
        builder.WithHealthCheck(HealthCheckName, (system, _, _) => Task.FromResult(Check(HostedBroker.Get(system))));
        return builder;
    }

    /// <summary>As above, with the options of a configuration file (nats-server format or HOCON, as the standalone server reads).</summary>
    /// <exception cref="ConfigurationException">The file is missing or invalid (message names file, line and key).</exception>
    public static AkkaConfigurationBuilder WithBroker(this AkkaConfigurationBuilder builder, string configurationFile, ServerLog? log = null, bool joinCluster = false) =>
        builder.WithBroker(BrokerConfigLoader.LoadFile(configurationFile), log, joinCluster);

    /// <summary>As above, with options built by a callback from the defaults (client port 4222 on all interfaces).</summary>
    public static AkkaConfigurationBuilder WithBroker(this AkkaConfigurationBuilder builder, Func<BrokerOptions, BrokerOptions> configure, ServerLog? log = null, bool joinCluster = false) =>
        builder.WithBroker(configure(new BrokerOptions()), log, joinCluster);

    private static void StopApplication(ActorSystem system)
    {
        try
        {
            Akka.DependencyInjection.DependencyResolver.For(system).Resolver.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.StopApplication();
        }
        catch (ObjectDisposedException)
        {
            // The host is already gone: nothing left to stop.
        }
    }

    /// <summary>Healthy while the broker accepts clients, degraded in lame duck mode, unhealthy before start and after shutdown.</summary>
    internal static HealthCheckResult Check(HostedBroker hosted)
    {
        var started = hosted.WhenStarted;
        if (started.IsFaulted) return HealthCheckResult.Unhealthy("the broker failed to start", started.Exception?.InnerException);
        if (!started.IsCompletedSuccessfully) return HealthCheckResult.Unhealthy("the broker has not started");
        var context = started.Result.Context;
        if (started.Result.Stopped.IsCompleted) return HealthCheckResult.Unhealthy(started.Result.StoppedBecause ?? "the broker has shut down");
        if (context.IsLameDuck) return HealthCheckResult.Degraded("the broker is in lame duck mode");
        return context.IsReady ? HealthCheckResult.Healthy($"accepting clients on port {context.Port}") : HealthCheckResult.Unhealthy("the broker is not accepting clients");
    }
}

/// <summary>CoordinatedShutdown's reason when the hosted broker could not start.</summary>
public sealed class BrokerStartFailed(Exception error) : CoordinatedShutdown.Reason
{
    public Exception Error { get; } = error;

    /// <summary>Non-zero: a process that exits for this reason failed.</summary>
    public override int ExitCode => 1;

    public override string ToString() => $"the broker failed to start: {Error.Message}";

    /// <summary>The fatal log line of a failed start, in nats-server's words.</summary>
    public static string Describe(Exception error, BrokerOptions options) => error is System.Net.Sockets.SocketException
        ? $"Error listening on port: {options.Host}:{options.Port}, \"{error.Message}\""
        : $"Error starting the server: {error.Message}";
}

using Akka.Configuration;
using Akka.Hosting;
using Broker.Configuration;
using Broker.Hosting;
using Broker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Broker.Tests.Hosting;

/// <summary>
/// What the standalone server needs from the hosting API, which embedding applications get too:
/// the ActorSystem configured from the options, nats-server's words for a failed start, and the
/// application stopped when its broker stops by itself.
/// </summary>
public class BrokerActorSystemHostingTests
{
    [Fact]
    public void The_options_akka_block_goes_over_the_defaults_and_a_single_broker_gets_no_cluster()
    {
        var options = new BrokerOptions { Akka = ConfigurationFactory.ParseString("akka.loglevel = ERROR") };
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "broker")
            .WithBrokerActorSystem(options, ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));

        var config = builder.Configuration.Value;
        Assert.Equal("ERROR", config.GetString("akka.loglevel"));
        Assert.Equal("WARNING", config.GetString("akka.stdout-loglevel"));
        Assert.False(config.HasPath("akka.actor.provider"));
    }

    [Fact]
    public void A_cluster_block_makes_a_cluster_system_seeded_by_its_routes_with_the_akka_block_on_top()
    {
        var options = BrokerConfigLoader.Parse("""
            cluster {
              listen: 127.0.0.1:7301
              routes: [nats-route://127.0.0.1:7302]
            }
            akka { cluster { seed-node-timeout: 3s } }
            """);
        var config = new AkkaConfigurationBuilder(new ServiceCollection(), "broker").WithBrokerActorSystem(options).Configuration.Value;

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal(7301, config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["akka.tcp://broker@127.0.0.1:7301", "akka.tcp://broker@127.0.0.1:7302"], config.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetTimeSpan("akka.cluster.seed-node-timeout"));
    }

    [Fact]
    public async Task A_failed_start_is_logged_in_nats_server_words()
    {
        var log = new RecordingServerLog();
        // TEST-NET-3: no interface of this machine has the address, so the listener cannot bind.
        using var host = BuildHost(b => b.WithBroker(new BrokerOptions { Host = "203.0.113.1", Port = 0 }, log));
        var stopping = Stopping(host);
        try
        {
            await host.StartAsync();
        }
        catch (Exception)
        {
            // The host may refuse to start or start and stop at once; the log line is the point here.
        }

        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(log.Lines, l => l.StartsWith("[Fatal] Error listening on port: 203.0.113.1:0, \"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broker_that_stops_by_itself_stops_the_application()
    {
        using var host = BuildHost(b => b.WithBroker(new BrokerOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            LameDuckDuration = TimeSpan.FromMilliseconds(200),
            LameDuckGracePeriod = TimeSpan.Zero,
        }));
        var stopping = Stopping(host);
        await host.StartAsync();
        var server = host.Services.GetRequiredService<HostedBroker>().Server;
        Assert.False(stopping.IsCompleted);

        // Lame duck mode ends with the broker shut down: the application goes with it.
        await server.EnterLameDuckModeAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(server.Stopped.IsCompleted);
        await host.StopAsync();
    }

    private static IHost BuildHost(Action<AkkaConfigurationBuilder> withBroker)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHostedBroker();
        builder.Services.AddAkka("hosting-system-test", akka =>
        {
            akka.AddHocon("akka.loglevel = WARNING\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
            withBroker(akka);
        });
        return builder.Build();
    }

    private static Task Stopping(IHost host)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }
}

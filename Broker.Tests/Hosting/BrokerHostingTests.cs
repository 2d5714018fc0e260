using Akka.Actor;
using Akka.Hosting;
using Broker.Configuration;
using Broker.Hosting;
using Broker.InProcess;
using Broker.Server;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using NATS.Client.Core;

namespace Broker.Tests.Hosting;

/// <summary>The broker's life in a generic host through Akka.Hosting: start with the host, registry, DI, health, stop in CoordinatedShutdown.</summary>
public class BrokerHostingTests
{
    private static IHost BuildHost(Action<AkkaConfigurationBuilder> withBroker, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddHealthChecks();
        builder.Services.AddHostedBroker();
        builder.Services.AddAkka("hosting-test", akka =>
        {
            akka.AddHocon("akka.loglevel = WARNING\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
            withBroker(akka);
        });
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task The_broker_starts_with_the_host_and_is_found_in_the_registry_in_DI_and_by_health_checks()
    {
        using var host = BuildHost(a => a.WithBroker(o => o with { Host = "127.0.0.1", Port = 0 }));
        await host.StartAsync();

        // Registered for actors (IRequiredActor) ...
        var required = host.Services.GetRequiredService<IRequiredActor<BrokerActor>>();
        var server = await required.ActorRef.Ask<BrokerServer>(BrokerActor.GetServer.Instance, TimeSpan.FromSeconds(10));
        // ... and for services (constructor injection of HostedBroker).
        var hosted = host.Services.GetRequiredService<HostedBroker>();
        Assert.Same(server, hosted.Server);
        Assert.True(server.Context.IsReady);

        await using var client = await NatsClients.ConnectAsync($"nats://127.0.0.1:{server.ClientEndpoint.Port}");
        await client.PingAsync();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[BrokerHostingExtensions.HealthCheckName].Status);

        await host.StopAsync();
        Assert.True(server.Stopped.IsCompleted, "CoordinatedShutdown stopped the broker with the host");
        Assert.False(server.Context.IsReady);
        Assert.Equal(HealthStatus.Unhealthy, BrokerHostingExtensions.Check(hosted).Status);
    }

    [Fact]
    public async Task Stopping_the_host_flushes_what_clients_were_sent_before_closing_them()
    {
        using var host = BuildHost(a => a.WithBroker(o => o with { Host = "127.0.0.1", Port = 0 }));
        await host.StartAsync();
        var hosted = host.Services.GetRequiredService<HostedBroker>();
        await using var subscriber = await NatsClients.ConnectAsync($"nats://127.0.0.1:{hosted.Server.ClientEndpoint.Port}", o => o with { MaxReconnectRetry = 0 });
        await using var sub = await subscriber.SubscribeCoreAsync<byte[]>("bulk");
        await subscriber.PingAsync();
        await using var app = hosted.Connect(InProcessIdentity.GlobalAccount);

        for (var i = 0; i < 1000; i++) app.Publish("bulk", new byte[1024]);
        await host.StopAsync();

        Assert.Equal(1000, (await NatsClients.ReadAsync(sub, 1000)).Count);
        Assert.True(app.IsClosed);
    }

    [Fact]
    public async Task A_configuration_file_in_nats_server_format_configures_the_hosted_broker()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hosted-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, """
            host: 127.0.0.1
            port: -1
            accounts {
              APP { users = [ { user: svc, password: s3cret } ] }
            }
            """);
        try
        {
            using var host = BuildHost(a => a.WithBroker(file));
            await host.StartAsync();
            var hosted = host.Services.GetRequiredService<HostedBroker>();
            await using var app = hosted.Connect(InProcessIdentity.User("svc"));
            Assert.Equal("APP", app.Account.Name);
            await host.StopAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_bad_configuration_file_is_refused_when_the_host_is_configured_naming_file_and_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hosted-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, "port: 4222\nmax_payload: lots\n");
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => BuildHost(a => a.WithBroker(file)).Services.GetRequiredService<ActorSystem>());
            var message = error.ToString();
            Assert.Contains(Path.GetFileName(file), message);
            Assert.Contains("max_payload", message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_broker_that_cannot_bind_stops_the_host_and_reports_unhealthy()
    {
        // TEST-NET-3: no interface of this machine has the address, so the listener cannot bind.
        using var host = BuildHost(a => a.WithBroker(o => o with { Host = "203.0.113.1", Port = 0 }));
        var stopping = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        try
        {
            await host.StartAsync();
        }
        catch (Exception)
        {
            // Either way is fine: the host refuses to start, or starts and stops at once.
        }

        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var hosted = host.Services.GetRequiredService<HostedBroker>();
        Assert.True(hosted.WhenStarted.IsFaulted);
        Assert.Equal(HealthStatus.Unhealthy, BrokerHostingExtensions.Check(hosted).Status);
    }

    [Fact]
    public async Task An_actor_gets_an_in_process_connection_from_the_registered_broker_actor()
    {
        using var host = BuildHost(a => a.WithBroker(o => o with { Host = "127.0.0.1", Port = 0 }));
        await host.StartAsync();
        var broker = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<BrokerActor>();

        await using var connection = await broker.Ask<InProcessConnection>(new BrokerActor.Connect(InProcessIdentity.GlobalAccount, "from-actor"), TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<InProcessException>(() => broker.Ask<InProcessConnection>(new BrokerActor.Connect(InProcessIdentity.Account("nope")), TimeSpan.FromSeconds(10)));

        Assert.Equal("from-actor", connection.Name);
        Assert.Contains("nope", refused.Message);
        await host.StopAsync();
    }
}

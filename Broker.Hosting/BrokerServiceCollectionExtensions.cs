using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Hosting;

/// <summary>Dependency injection of the hosted broker, for services outside the actor system.</summary>
public static class BrokerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HostedBroker"/> as a singleton (the ActorSystem's, from AddAkka), so a
    /// service takes it in its constructor and opens in-process connections with
    /// <see cref="HostedBroker.ConnectAsync"/>. Call next to <c>AddAkka(..., b =&gt; b.WithBroker(...))</c>.
    /// </summary>
    public static IServiceCollection AddHostedBroker(this IServiceCollection services) =>
        services.AddSingleton(sp => HostedBroker.Get(sp.GetRequiredService<ActorSystem>()));
}

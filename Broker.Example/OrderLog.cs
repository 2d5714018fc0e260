using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.Hosting;
using Broker.InProcess;
using Microsoft.Extensions.Hosting;

namespace Broker.Example;

/// <summary>
/// A stream consuming "orders.>" from the hosted broker: each order is written to the console
/// (at most 64 wait for it; publishers are slowed past that, nothing is dropped).
/// </summary>
public sealed class OrderLog(HostedBroker broker, ActorSystem system) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = await broker.ConnectAsync(InProcessIdentity.GlobalAccount, "order-log", stoppingToken);
        var (subscribed, done) = connection.Subscribe("orders.>", bufferSize: 64)
            .Select(order => $"order on {order.Subject}: {order.PayloadText}")
            .ToMaterialized(Sink.ForEach<string>(Console.WriteLine), Keep.Both)
            .Run(system.Materializer());
        await subscribed;
        Console.WriteLine("order log subscribed");
        await Task.WhenAny(done, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
    }
}

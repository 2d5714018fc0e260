using Akka.Actor;
using Akka.Hosting;
using Broker.Example;
using Broker.Hosting;
using Broker.InProcess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// An application with the broker inside: NATS clients connect to port 4222 (or --port N), ask the
// quote actor on "quote.get", and publish orders that the order log stream prints.
var port = args.Length == 2 && args[0] == "--port" ? int.Parse(args[1]) : 4222;

var builder = Host.CreateApplicationBuilder();
builder.Services.AddHostedBroker();
builder.Services.AddHostedService<OrderLog>();
builder.Services.AddAkka("example", akka => akka
    .AddHocon("akka.loglevel = WARNING", HoconAddMode.Prepend)
    .WithBroker(options => options with { Host = "127.0.0.1", Port = port })
    .AddStartup(async (system, registry) =>
    {
        var quotes = system.ActorOf(Props.Create(() => new QuoteActor()), "quotes");
        var connection = await HostedBroker.Get(system).ConnectAsync(InProcessIdentity.GlobalAccount, "quotes");
        await connection.ServeAsync("quote.get", quotes);
        Console.WriteLine($"quote service ready on nats://127.0.0.1:{HostedBroker.Get(system).Server.ClientEndpoint.Port}");
    }));

await builder.Build().RunAsync();

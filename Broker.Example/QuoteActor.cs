using Akka.Actor;
using Broker.InProcess;

namespace Broker.Example;

/// <summary>Answers "quote.get" requests: the price of the product named in the payload.</summary>
public sealed class QuoteActor : ReceiveActor
{
    private static readonly Dictionary<string, decimal> Prices = new(StringComparer.OrdinalIgnoreCase) { ["apple"] = 0.5m, ["pear"] = 0.75m };

    public QuoteActor() => Receive<BrokerMessage>(request =>
        Sender.Tell(Reply.Text(Prices.TryGetValue(request.PayloadText, out var price) ? $"{request.PayloadText}: {price}" : $"{request.PayloadText}: unknown")));
}

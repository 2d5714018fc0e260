using Akka.Actor;
using Broker.Clients;
using Broker.Runtime;

namespace Broker.Server;

/// <summary>Parent of the broker's client actors: a connection that fails stops alone.</summary>
public sealed class ServerActor : ReceiveActor
{
    public static Props Props(ServerContext server) => Akka.Actor.Props.Create(() => new ServerActor(server));

    public ServerActor(ServerContext server)
    {
        Receive<ClientAccepted>(m =>
            Context.ActorOf(ClientActor.Props(m.Connection, server.Options.PingInterval), $"client-{m.Connection.Id}"));
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>A socket was accepted and its connection object made; start its actor.</summary>
    public sealed record ClientAccepted(ClientConnection Connection);
}

using Akka.Actor;
using Broker.InProcess;
using Broker.Server;

namespace Broker.Hosting;

/// <summary>
/// The hosted broker in the ActorRegistry (key: this type), for actors that take it as
/// <c>IRequiredActor&lt;BrokerActor&gt;</c>: asked <see cref="GetServer"/> it answers the
/// <see cref="BrokerServer"/>; asked <see cref="Connect"/> it answers a new
/// <see cref="InProcessConnection"/> (or a <see cref="Status.Failure"/>).
/// </summary>
public sealed class BrokerActor : ReceiveActor
{
    public BrokerActor(BrokerServer server)
    {
        Receive<GetServer>(_ => Sender.Tell(server));
        Receive<Connect>(c =>
        {
            try
            {
                Sender.Tell(server.ConnectInProcess(c.Identity, c.Name));
            }
            catch (InProcessException e)
            {
                Sender.Tell(new Status.Failure(e));
            }
        });
    }

    /// <summary>Asks for the running <see cref="BrokerServer"/>.</summary>
    public sealed record GetServer
    {
        public static GetServer Instance { get; } = new();
    }

    /// <summary>Asks for a new in-process connection; the asker owns (and disposes) it.</summary>
    public sealed record Connect(InProcessIdentity Identity, string? Name = null);
}

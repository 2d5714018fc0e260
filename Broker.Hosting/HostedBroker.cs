using Akka.Actor;
using Broker.InProcess;
using Broker.Server;

namespace Broker.Hosting;

/// <summary>
/// The broker <see cref="BrokerHostingExtensions.WithBroker(Akka.Hosting.AkkaConfigurationBuilder, Configuration.BrokerOptions, Logging.ServerLog?)"/>
/// started in an ActorSystem, as an Akka extension: any code holding the system (or, through DI,
/// any service) gets it with <see cref="Get"/>, and waits for the start with <see cref="WhenStarted"/>.
/// </summary>
public sealed class HostedBroker : IExtension
{
    private readonly TaskCompletionSource<BrokerServer> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static HostedBroker Get(ActorSystem system) => system.WithExtension<HostedBroker, HostedBrokerProvider>();

    /// <summary>Completes once the broker accepts clients; faults if it failed to start.</summary>
    public Task<BrokerServer> WhenStarted => _started.Task;

    /// <summary>The running broker; throws before it has started.</summary>
    public BrokerServer Server => _started.Task.IsCompletedSuccessfully
        ? _started.Task.Result
        : throw new InvalidOperationException("the broker has not started yet (the host starts it with the ActorSystem); await WhenStarted");

    /// <summary>Opens an in-process connection (see <see cref="InProcessConnector.Connect"/>).</summary>
    public InProcessConnection Connect(InProcessIdentity identity, string? name = null) => Server.ConnectInProcess(identity, name);

    /// <summary>Waits for the broker's start, then opens an in-process connection.</summary>
    public async Task<InProcessConnection> ConnectAsync(InProcessIdentity identity, string? name = null, CancellationToken cancellationToken = default) =>
        (await WhenStarted.WaitAsync(cancellationToken).ConfigureAwait(false)).ConnectInProcess(identity, name);

    internal void Started(BrokerServer server) => _started.TrySetResult(server);

    internal void Failed(Exception error) => _started.TrySetException(error);
}

internal sealed class HostedBrokerProvider : ExtensionIdProvider<HostedBroker>
{
    public override HostedBroker CreateExtension(ExtendedActorSystem system) => new();
}

using Broker.Clients;

namespace Broker.Server;

public sealed partial class BrokerServer
{
    /// <summary>True once lame duck mode began: no new clients, the existing ones are being let go.</summary>
    public bool IsLameDuck => Context.IsLameDuck;

    /// <summary>
    /// nats-server's lame duck mode (server.go <c>lameDuckMode</c>): stop accepting clients, tell the
    /// connected ones (INFO <c>ldm: true</c>, the other servers' <c>connect_urls</c>), wait
    /// <see cref="Configuration.BrokerOptions.LameDuckGracePeriod"/>, then close them spread over the
    /// rest of <see cref="Configuration.BrokerOptions.LameDuckDuration"/>, and shut down. Idempotent;
    /// completes when the broker has stopped.
    /// </summary>
    public Task EnterLameDuckModeAsync()
    {
        lock (_shutdownGate)
        {
            if (_shutdown is not null) return _shutdown;
            return _lameDuck ??= LameDuckCoreAsync();
        }
    }

    private Task? _lameDuck;

    private async Task LameDuckCoreAsync()
    {
        var options = Context.Options;
        Context.Log.Notice("Entering lame duck mode, stop accepting new clients");
        Context.IsLameDuck = true;
        Context.IsReady = false;
        await _listener.StopAsync().ConfigureAwait(false);
        Context.ClusterNode?.Tell(Cluster.ClusterNodeActor.EnterLameDuck.Instance, Akka.Actor.ActorRefs.NoSender);

        var clients = Context.Connections.Values.ToArray();
        if (clients.Length > 0)
        {
            foreach (var client in clients) client.SendInfoUpdate(lameDuck: true);
            await Task.Delay(options.LameDuckGracePeriod).ConfigureAwait(false);
            clients = Context.Connections.Values.ToArray();
            if (clients.Length > 0)
            {
                Context.Log.Notice("Closing existing clients");
                // As nats-server: one client at a time at a random pause in [si/2, si), si the
                // time left over the clients, at most a second.
                var left = options.LameDuckDuration - options.LameDuckGracePeriod;
                var interval = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, Math.Max(1, left.Ticks / clients.Length)));
                for (var i = 0; i < clients.Length; i++)
                {
                    clients[i].Close(CloseReason.ServerShutdown);
                    if (i == clients.Length - 1) break;
                    var pause = Random.Shared.NextInt64(interval.Ticks / 2, interval.Ticks);
                    await Task.Delay(TimeSpan.FromTicks(pause)).ConfigureAwait(false);
                }
            }
        }
        await ShutdownAsync().ConfigureAwait(false);
    }
}

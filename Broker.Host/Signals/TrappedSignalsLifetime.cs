using Microsoft.Extensions.Hosting;

namespace Broker.Host.Signals;

/// <summary>
/// The generic host's lifetime without its console one's signal handlers: <see cref="PosixSignals"/>
/// traps SIGINT and SIGTERM itself, since nats-server's rules (SIGTERM ignored in lame duck mode, a
/// second SIGINT ends the process at once) are not the console lifetime's.
/// </summary>
internal sealed class TrappedSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

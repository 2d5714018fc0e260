using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Monitoring;

/// <summary>
/// The HTTP listener of the monitoring port: Kestrel from the shared framework with nothing but
/// the <see cref="MonitorRouter"/> behind it (no logging, no DI of ours, no middleware), so it
/// never competes with the client port for more than the requests it serves.
/// </summary>
public sealed class MonitorServer : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;

    private MonitorServer(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The bound endpoint (the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Binds and starts serving. A port that cannot be bound throws <see cref="IOException"/>.</summary>
    public static async Task<MonitorServer> StartAsync(IPAddress address, int port, MonitorRouter router)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port < 0 ? 0 : port);
        });
        var app = builder.Build();
        app.Run(router.HandleAsync);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound);
        return new MonitorServer(app, new IPEndPoint(address, uri.Port));
    }

    /// <summary>Stops listening; requests in flight get a short grace.</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Past the grace: Kestrel aborts what is left.
        }
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

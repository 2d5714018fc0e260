using System.Net.Sockets;
using Broker.Configuration;

namespace Broker.LeafNodes;

/// <summary>
/// One <c>leafnodes.remotes</c> entry at work: connects to the hub over its URLs in turn (those
/// the hub advertises join them), and after a link ends tries again with a jittered back-off
/// (nats-server waits a fixed second, which makes every leaf of a hub come back at once); a hub
/// that refused the link for a loop, a same cluster name or permissions is left alone for 30 s.
/// </summary>
public sealed class LeafRemote
{
    private static readonly TimeSpan MostBackOff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(1);

    private readonly ILeafHost _server;
    private readonly LeafNodeServer _leafs;
    private readonly object _gate = new();
    private readonly List<Uri> _urls;
    private int _next;

    internal LeafRemote(ILeafHost server, LeafNodeServer leafs, LeafRemoteOptions options)
    {
        _server = server;
        _leafs = leafs;
        Options = options;
        _urls = options.Urls.ToList();
        _next = Random.Shared.Next(Math.Max(1, _urls.Count));
    }

    public LeafRemoteOptions Options { get; }

    /// <summary>The link of the moment; null between attempts.</summary>
    public LeafConnection? Connection { get; private set; }

    /// <summary>Attempts made since the last link that completed its handshake.</summary>
    public int FailedAttempts { get; private set; }

    internal void Start(CancellationToken stop) => _ = Task.Run(() => RunAsync(stop));

    /// <summary>URLs the hub advertises (INFO <c>leafnode_urls</c>), added to those configured with the configured credentials.</summary>
    internal void Learn(IEnumerable<string> hostPorts)
    {
        lock (_gate)
        {
            var template = _urls[0];
            foreach (var hostPort in hostPorts)
            {
                if (!Uri.TryCreate($"{template.Scheme}://{(template.UserInfo.Length > 0 ? template.UserInfo + "@" : "")}{hostPort}", UriKind.Absolute, out var url)) continue;
                if (!_urls.Exists(u => u.Host == url.Host && u.Port == url.Port)) _urls.Add(url);
            }
        }
    }

    private Uri NextUrl()
    {
        lock (_gate) return _urls[_next++ % _urls.Count];
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            var url = NextUrl();
            var penalty = false;
            var established = false;
            try
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    using var dial = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    dial.CancelAfter(DialTimeout);
                    await socket.ConnectAsync(url.Host, url.Port == -1 ? 7422 : url.Port, dial.Token).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                var connection = _leafs.NewSolicited(socket);
                Connection = connection;
                await connection.RunSolicitedAsync(this, url).ConfigureAwait(false);
                await connection.Completion.ConfigureAwait(false);
                established = connection.WasEstablished;
                penalty = connection.PenaltyRequested;
                Connection = null;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                if (stop.IsCancellationRequested) return;
                if (attempt == 0) _server.Log.Error($"Error trying to connect as leafnode to remote server \"{url.Host}:{url.Port}\" (attempt {attempt + 1}): {e.Message}");
            }
            if (established) attempt = 0;
            else FailedAttempts = ++attempt;
            var delay = penalty ? LeafErrors.PenaltyDelay : BackOff(Options.ReconnectBase, attempt);
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The base delay doubled per failed attempt up to 10 s, times a random factor in [0.5, 1.5).</summary>
    internal static TimeSpan BackOff(TimeSpan baseDelay, int attempt)
    {
        var grown = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(Math.Max(attempt - 1, 0), 6));
        var capped = Math.Min(grown, MostBackOff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble()));
    }
}

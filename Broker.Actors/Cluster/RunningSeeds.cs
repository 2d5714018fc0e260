using System.Net.Sockets;
using Broker.Configuration;

namespace Broker.Cluster;

/// <summary>
/// Whether another seed node is already listening when this node starts. Akka lets the first seed
/// form a cluster alone once the others have not answered within <c>seed-node-timeout</c>; if it
/// restarts while the others run (a rolling restart) and their answers are slow (TLS handshakes on
/// a loaded machine), it would form a second cluster that never merges with the first. A peer
/// that accepts a TCP connection is running: then the first seed waits for its answer.
/// </summary>
internal static class RunningSeeds
{
    /// <summary>How long a connection attempt may take; a stopped peer on a reachable host refuses at once.</summary>
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(300);

    public static bool AnyAccepting(IEnumerable<ClusterEndpoint> others)
    {
        var attempts = others.Select(AcceptsAsync).ToArray();
        if (attempts.Length == 0) return false;
        return Task.WhenAll(attempts).GetAwaiter().GetResult().Any(accepted => accepted);
    }

    private static async Task<bool> AcceptsAsync(ClusterEndpoint endpoint)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Probe);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}

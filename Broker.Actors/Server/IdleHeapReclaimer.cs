using Broker.Runtime;

namespace Broker.Server;

/// <summary>
/// One timer per process, over every broker running in it (the heap is the process's): when all
/// are quiet and <see cref="HeapReclaimPolicy"/> says the heap holds a burst's garbage, a full
/// compacting collection in the GC's aggressive mode, which also returns the freed regions (and the
/// shared array pool's idle buffers) to the operating system instead of keeping them committed.
/// </summary>
public static class IdleHeapReclaimer
{
    /// <summary>How often the heap is looked at; a load must have ended this long ago.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly object Gate = new();
    private static readonly List<ServerContext> Servers = new();
    private static Timer? s_timer;
    private static HeapReclaimPolicy? s_policy;

    /// <summary>Collections this reclaimer asked for since the process started.</summary>
    public static int Reclaims { get; private set; }

    /// <summary>Watches <paramref name="server"/> until the returned handle is disposed (at its shutdown).</summary>
    public static IDisposable Register(ServerContext server)
    {
        lock (Gate)
        {
            Servers.Add(server);
            if (s_timer is null)
            {
                s_policy = new HeapReclaimPolicy(GC.GetTotalMemory(false));
                s_timer = new Timer(static _ => Tick(), null, Interval, Interval);
            }
        }
        return new Registration(server);
    }

    private static void Tick()
    {
        long activity = 0;
        HeapReclaimPolicy policy;
        lock (Gate)
        {
            if (s_policy is null) return;
            policy = s_policy;
            foreach (var server in Servers)
            {
                var traffic = server.Stats.Traffic;
                activity += traffic.InMsgs + traffic.OutMsgs + server.Stats.TotalConnections + server.Connections.Count;
            }
            if (!policy.ShouldReclaim(GC.GetTotalMemory(false), activity)) return;
        }
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        lock (Gate)
        {
            Reclaims++;
            policy.Reclaimed(GC.GetTotalMemory(false));
        }
    }

    private sealed class Registration(ServerContext server) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            lock (Gate)
            {
                Servers.Remove(server);
                if (Servers.Count > 0) return;
                s_timer?.Dispose();
                s_timer = null;
                s_policy = null;
            }
        }
    }
}

using NATS.Client.Core;

namespace Broker.Tests.EndToEnd;

/// <summary>Connections of the official NATS.Net client to a test broker.</summary>
public static class NatsClients
{
    public static async Task<NatsConnection> ConnectAsync(string url, Func<NatsOpts, NatsOpts>? configure = null)
    {
        // Generous timeouts: CI runs every test class at once on two cores.
        var opts = NatsOpts.Default with
        {
            Url = url,
            Name = "broker-tests",
            SubPendingChannelCapacity = 100_000,
            ConnectTimeout = TimeSpan.FromSeconds(20),
            CommandTimeout = TimeSpan.FromSeconds(20),
            RequestTimeout = TimeSpan.FromSeconds(20),
        };
        if (configure is not null) opts = configure(opts);
        var connection = new NatsConnection(opts);
        await connection.ConnectAsync();
        return connection;
    }

    /// <summary>Reads exactly <paramref name="count"/> messages or fails after the timeout.</summary>
    public static async Task<List<NatsMsg<T>>> ReadAsync<T>(INatsSub<T> sub, int count, int timeoutSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var got = new List<NatsMsg<T>>(count);
        while (got.Count < count) got.Add(await sub.Msgs.ReadAsync(cts.Token));
        return got;
    }
}

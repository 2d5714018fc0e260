using System.Net;
using System.Threading.Channels;
using NATS.Client.Core;

namespace Broker.Bench.Drivers;

/// <summary>The official NATS.Net client, as users run it: one connection per publisher and per subscriber.</summary>
internal sealed class NatsClientDriver(IPEndPoint server) : ILoadDriver
{
    public string Name => "nats.net";

    public NatsOpts Options => NatsOpts.Default with
    {
        Url = $"nats://{server}",
        Name = "bench",
        // The default drops messages when a subscriber's channel is full; a benchmark must count every one.
        SubPendingChannelFullMode = BoundedChannelFullMode.Wait,
        SubPendingChannelCapacity = 64 * 1024,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public async Task<IBenchSubscriber> SubscribeAsync(string subject, string? queueGroup, ProgressSignal progress)
    {
        var connection = new NatsConnection(Options);
        await connection.ConnectAsync();
        var subscription = await connection.SubscribeCoreAsync<NatsMemoryOwner<byte>>(subject, queueGroup);
        await connection.PingAsync();
        return new Subscriber(connection, subscription, progress);
    }

    public async Task<IBenchPublisher> CreatePublisherAsync(string subject, int payloadSize)
    {
        var connection = new NatsConnection(Options);
        await connection.ConnectAsync();
        return new Publisher(connection, subject, new byte[payloadSize]);
    }

    public async Task<IDisposable> StartResponderAsync(string subject)
    {
        var connection = new NatsConnection(Options);
        await connection.ConnectAsync();
        var subscription = await connection.SubscribeCoreAsync<byte[]>(subject);
        await connection.PingAsync();
        _ = Task.Run(async () =>
        {
            await foreach (var request in subscription.Msgs.ReadAllAsync())
                await request.ReplyAsync(request.Data);
        });
        return new Owned(connection);
    }

    public async Task<IBenchRequester> CreateRequesterAsync(string subject, int payloadSize)
    {
        var connection = new NatsConnection(Options);
        await connection.ConnectAsync();
        return new Requester(connection, subject, new byte[payloadSize]);
    }

    private sealed class Owned(NatsConnection connection) : IDisposable
    {
        public void Dispose() => connection.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    private sealed class Requester(NatsConnection connection, string subject, byte[] payload) : IBenchRequester
    {
        public async ValueTask RequestAsync() => await connection.RequestAsync<byte[], byte[]>(subject, payload);

        public async ValueTask RunInFlightAsync(int total, int inFlight, double[]? latencies = null)
        {
            var next = 0;
            var workers = Enumerable.Range(0, inFlight).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) <= total)
                {
                    var start = System.Diagnostics.Stopwatch.GetTimestamp();
                    await RequestAsync();
                    if (latencies is not null) latencies[index - 1] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            });
            await Task.WhenAll(workers);
        }

        public void Dispose() => connection.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    private sealed class Subscriber : IBenchSubscriber
    {
        private readonly NatsConnection _connection;
        private readonly INatsSub<NatsMemoryOwner<byte>> _subscription;
        private long _received;

        public Subscriber(NatsConnection connection, INatsSub<NatsMemoryOwner<byte>> subscription, ProgressSignal progress)
        {
            _connection = connection;
            _subscription = subscription;
            _ = Task.Run(async () =>
            {
                var reader = subscription.Msgs;
                while (await reader.WaitToReadAsync())
                {
                    var count = 0;
                    while (reader.TryRead(out var message))
                    {
                        message.Data.Dispose();
                        count++;
                    }
                    Volatile.Write(ref _received, _received + count);
                    progress.Pulse();
                }
            });
        }

        public long Received => Volatile.Read(ref _received);

        public void Dispose()
        {
            _subscription.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
            _connection.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        }
    }

    private sealed class Publisher(NatsConnection connection, string subject, byte[] payload) : IBenchPublisher
    {
        public async ValueTask PublishAsync(int count)
        {
            for (var i = 0; i < count; i++) await connection.PublishAsync(subject, payload);
        }

        public async ValueTask FlushAsync() => await connection.PingAsync();

        public void Dispose() => connection.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }
}

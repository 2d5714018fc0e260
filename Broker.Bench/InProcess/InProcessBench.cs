using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Broker.Configuration;
using Broker.InProcess;
using Broker.Server;
using NATS.Client.Core;

namespace Broker.Bench.InProcess;

/// <summary>
/// In-process messaging against the same pair through NATS.Net over loopback, all in one process
/// on one broker: in-process publisher to in-process Source, in-process to network, network to
/// in-process, NATS.Net to NATS.Net, and request/reply latency to an actor responder.
/// </summary>
internal static class InProcessBench
{
    public static async Task<int> RunAsync(int count, int payloadSize, int requests, int rounds, string? only, TextWriter output)
    {
        using var system = ActorSystem.Create("inprocess-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        var server = await BrokerServer.StartAsync(system, new BrokerOptions { Host = "127.0.0.1", Port = 0 });
        var url = $"nats://127.0.0.1:{server.ClientEndpoint.Port}";
        var materializer = system.Materializer();
        var payload = new byte[payloadSize];
        await using var app = server.ConnectInProcess(InProcessIdentity.GlobalAccount, "bench");
        output.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {count:N0} messages of {payloadSize} B, {rounds} rounds a row, {requests:N0} requests");

        // Warm-up, not measured: long enough for the tiered JIT to replace the first-round code of the
        // path (a single 200,000-message round left the measured round at tier-0 speed, half the rate).
        await WarmUpAsync(() => InProcessToSource(app, materializer, payload, Math.Min(count, 200_000)));
        if (only is not null)
        {
            if (only != "source") throw new ArgumentException($"--only takes 'source', got '{only}'");
            for (var round = 0; round < 5; round++)
            {
                var roundCpu = Cpu.Start();
                var elapsed = await InProcessToSource(app, materializer, payload, count);
                output.WriteLine($"in-process pub -> in-process Source: {Rate(count, elapsed)}{roundCpu.PerMessage(count)}");
            }
            await server.ShutdownAsync();
            await system.Terminate();
            return 0;
        }
        // Each row runs several rounds: its median (and the range) is reported, and the ratio is of medians.
        async Task<TimeSpan> Row(string label, Func<Task<TimeSpan>> round)
        {
            var cpu = Cpu.Start();
            var times = new List<TimeSpan>();
            for (var i = 0; i < rounds; i++) times.Add(await round());
            times.Sort();
            var median = times[times.Count / 2];
            var range = rounds > 1 ? $" [{count / times[^1].TotalSeconds / 1e6:0.00}-{count / times[0].TotalSeconds / 1e6:0.00} M over {rounds} rounds]" : "";
            output.WriteLine($"{label,-54}{Rate(count, median)}{range}{cpu.PerMessage((long)count * rounds)}");
            return median;
        }

        await Row("in-process pub, no subscriber:", () => PublishToNobody(app, payload, count));
        var inProcess = await Row("in-process pub -> in-process Source:", () => InProcessToSource(app, materializer, payload, count));
        await Row("in-process pub -> in-process batch Source:", () => InProcessToBatchSource(app, materializer, payload, count, batchPublish: false));
        await Row("in-process batches of 256 -> in-process batch Source:", () => InProcessToBatchSource(app, materializer, payload, count, batchPublish: true));
        await Row("in-process pub -> NATS.Net sub:", () => InProcessToNetwork(app, url, payload, count));
        await Row("in-process batches of 256 -> NATS.Net sub:", () => InProcessBatchesToNetwork(app, url, payload, count));
        await Row("NATS.Net pub -> in-process Source:", () => NetworkToSource(app, materializer, url, payload, count));
        await WarmUpAsync(() => NetworkToNetwork(url, payload, Math.Min(count, 200_000)));
        var loopback = await Row("NATS.Net pub -> NATS.Net sub:", () => NetworkToNetwork(url, payload, count));
        output.WriteLine($"{"in-process Source / NATS.Net loopback (medians):",-54}{loopback.TotalSeconds / inProcess.TotalSeconds:0.0}x");
        var latencies = await RequestsToActor(system, app, payload, requests);
        output.WriteLine($"in-process request -> actor responder: p50 {Percentile(latencies, 0.50):0.0} µs, p90 {Percentile(latencies, 0.90):0.0} µs, p99 {Percentile(latencies, 0.99):0.0} µs");

        await server.ShutdownAsync();
        await system.Terminate();
        return 0;
    }

    /// <summary>The same warm-up for both sides of the comparison: rounds for at least two seconds.</summary>
    private static async Task WarmUpAsync(Func<Task<TimeSpan>> round)
    {
        var warm = Stopwatch.StartNew();
        do await round();
        while (warm.Elapsed < TimeSpan.FromSeconds(2));
    }

    private static async Task<TimeSpan> InProcessToSource(InProcessConnection app, IMaterializer materializer, byte[] payload, int count)
    {
        var (subscribed, done) = app.Subscribe("bench.local", bufferSize: 8192).Take(count).ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both).Run(materializer);
        await subscribed;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await app.PublishAsync("bench.local", payload);
        await done;
        return watch.Elapsed;
    }

    /// <summary>To <see cref="InProcessConnection.SubscribeBatches"/>: one stream element per batch; published one by one or in batches of 256.</summary>
    private static async Task<TimeSpan> InProcessToBatchSource(InProcessConnection app, IMaterializer materializer, byte[] payload, int count, bool batchPublish)
    {
        var (subscribed, done) = app.SubscribeBatches("bench.batches", bufferSize: 8192)
            .Scan(0, (total, batch) => total + batch.Count)
            .TakeWhile(total => total < count)
            .ToMaterialized(Sink.Ignore<int>(), Keep.Both)
            .Run(materializer);
        await subscribed;
        var watch = Stopwatch.StartNew();
        if (batchPublish)
        {
            var batch = Enumerable.Repeat(new OutgoingMessage("bench.batches", payload), 256).ToList();
            for (var sent = 0; sent < count; sent += batch.Count)
            {
                if (count - sent < batch.Count) batch = batch.Take(count - sent).ToList();
                await app.PublishBatchAsync(batch);
            }
        }
        else
        {
            for (var i = 0; i < count; i++) await app.PublishAsync("bench.batches", payload);
        }
        await done;
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> PublishToNobody(InProcessConnection app, byte[] payload, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await app.PublishAsync("bench.nobody", payload);
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> InProcessToNetwork(InProcessConnection app, string url, byte[] payload, int count)
    {
        await using var client = await Connect(url);
        var received = 0;
        await using var sub = await client.SubscribeCoreAsync<byte[]>("bench.out");
        await client.PingAsync();
        // Off the client's socket-reading thread, where PingAsync's continuation runs: publishing there would starve the subscriber.
        await Task.Yield();
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in sub.Msgs.ReadAllAsync())
            {
                if (++received == count) break;
            }
        });
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await app.PublishAsync("bench.out", payload);
        await reading;
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> InProcessBatchesToNetwork(InProcessConnection app, string url, byte[] payload, int count)
    {
        await using var client = await Connect(url);
        var received = 0;
        await using var sub = await client.SubscribeCoreAsync<byte[]>("bench.batch");
        await client.PingAsync();
        // Off the client's socket-reading thread, where PingAsync's continuation runs: publishing there would starve the subscriber.
        await Task.Yield();
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in sub.Msgs.ReadAllAsync())
            {
                if (++received == count) break;
            }
        });
        var batch = Enumerable.Repeat(new OutgoingMessage("bench.batch", payload), 256).ToList();
        var watch = Stopwatch.StartNew();
        for (var sent = 0; sent < count; sent += batch.Count)
        {
            if (count - sent < batch.Count) batch = batch.Take(count - sent).ToList();
            await app.PublishBatchAsync(batch);
        }
        await reading;
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> NetworkToSource(InProcessConnection app, IMaterializer materializer, string url, byte[] payload, int count)
    {
        var (subscribed, done) = app.Subscribe("bench.in", bufferSize: 8192).Take(count).ToMaterialized(Sink.Ignore<BrokerMessage>(), Keep.Both).Run(materializer);
        await subscribed;
        await using var client = await Connect(url);
        await Task.Yield();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await client.PublishAsync("bench.in", payload);
        await done;
        return watch.Elapsed;
    }

    private static async Task<TimeSpan> NetworkToNetwork(string url, byte[] payload, int count)
    {
        await using var subscriber = await Connect(url);
        await using var sub = await subscriber.SubscribeCoreAsync<byte[]>("bench.net");
        await subscriber.PingAsync();
        await Task.Yield();
        var received = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var _ in sub.Msgs.ReadAllAsync())
            {
                if (++received == count) break;
            }
        });
        await using var publisher = await Connect(url);
        await Task.Yield();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await publisher.PublishAsync("bench.net", payload);
        await reading;
        return watch.Elapsed;
    }

    private static async Task<double[]> RequestsToActor(ActorSystem system, InProcessConnection app, byte[] payload, int requests)
    {
        var echo = system.ActorOf(Props.Create(() => new Echo()));
        await using var served = await app.ServeAsync("bench.echo", echo);
        for (var i = 0; i < 2000; i++) await app.RequestAsync("bench.echo", payload);
        var latencies = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await app.RequestAsync("bench.echo", payload);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        Array.Sort(latencies);
        return latencies;
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<BrokerMessage>(m => Sender.Tell(new Reply(m.Payload)));
    }

    private static async Task<NatsConnection> Connect(string url)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = url, SubPendingChannelCapacity = 1_000_000 });
        await connection.ConnectAsync();
        return connection;
    }

    /// <summary>
    /// The process's CPU time and allocated bytes over a scenario: on a shared machine CPU time says
    /// more about the code than the wall clock does (both include the NATS.Net client's share where one runs).
    /// </summary>
    private readonly record struct Cpu(TimeSpan At, long Allocated)
    {
        public static Cpu Start() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));

        public string PerMessage(long count) =>
            $", CPU {(Process.GetCurrentProcess().TotalProcessorTime - At).TotalMicroseconds * 1000 / count:0} ns/msg, {(GC.GetTotalAllocatedBytes(precise: true) - Allocated) / (double)count:0} B/msg allocated";
    }

    private static string Rate(int count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds / 1e6:0.00} M msgs/s ({elapsed.TotalMilliseconds:0} ms)";

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
}

using System.Diagnostics;
using System.Text.Json;
using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// Service latency tracking for one exported service (<c>latency { sampling, subject }</c>): a
/// sampled request gets a probe; its first response publishes nats-server's latency metric on the
/// configured subject in the exporting account.
/// </summary>
internal sealed class ServiceLatencyTracker(Account exporter, LatencyOptions options, string serverId)
{
    private readonly byte[] _subject = System.Text.Encoding.ASCII.GetBytes(options.Subject);

    public ServiceLatencyProbe? TryStart(Account importer)
    {
        if (options.SamplingPercent < 100 && Random.Shared.Next(100) >= options.SamplingPercent) return null;
        return new ServiceLatencyProbe(this, importer, Stopwatch.GetTimestamp(), DateTime.UtcNow);
    }

    internal void Publish(ServiceLatencyProbe probe, DeliveryContext context)
    {
        var total = Stopwatch.GetElapsedTime(probe.StartTimestamp);
        var nanos = (long)(total.TotalMilliseconds * 1_000_000);
        var responder = context.Publisher as IServiceClient;
        var sample = new ServiceLatencySample
        {
            Id = Guid.NewGuid().ToString("N"),
            Timestamp = DateTime.UtcNow,
            Status = 200,
            Requestor = new LatencyClient { Account = probe.Importer.Name },
            Responder = new LatencyClient
            {
                Start = responder?.Started.ToString("O"),
                Host = responder?.RemoteEndPoint?.Address.ToString(),
                ClientId = responder?.Id ?? 0,
                Account = exporter.Name,
                User = responder?.User,
                Name = responder is null || string.IsNullOrEmpty(responder.Options.Name) ? null : responder.Options.Name,
                Lang = responder?.Options.Lang,
                Version = responder?.Options.Version,
                Server = serverId,
                Kind = "Client",
                ClientType = "nats",
            },
            Start = probe.Start,
            ServiceNanos = nanos,
            TotalNanos = nanos,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(sample, AccountJsonContext.Default.ServiceLatencySample);
        context.DeliverAll(exporter.Index.Match(_subject), _subject, default, json, -1);
    }
}

/// <summary>One sampled request in flight; only its first response counts.</summary>
internal sealed class ServiceLatencyProbe(ServiceLatencyTracker tracker, Account importer, long startTimestamp, DateTime start)
{
    private int _done;

    public Account Importer { get; } = importer;
    public long StartTimestamp { get; } = startTimestamp;
    public DateTime Start { get; } = start;

    public void Responded(DeliveryContext context)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0) tracker.Publish(this, context);
    }
}

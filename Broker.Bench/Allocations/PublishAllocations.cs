using System.Text;
using Broker.Accounts;
using Broker.Configuration;
using Broker.LeafNodes;
using Broker.Links;
using Broker.Subjects;

namespace Broker.Bench.Allocations;

/// <summary>
/// Bytes allocated per message on the publish path, measured in process: N messages through
/// <see cref="Account.Publish{TTargets}"/> from each kind of source (a client, a node link, a
/// gateway) and across stream and service imports, and responses a gateway forwards to another
/// node (<see cref="GatewayResponseAllocations"/>), on one thread, between two readings of
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>. Every path is meant to allocate nothing per
/// message once warm; a figure above the limit is a regression.
/// </summary>
internal static class PublishAllocations
{
    /// <summary>One path's figure; <paramref name="Allowance"/> is what the path may allocate per message from per-batch costs spread over its batch (0: none).</summary>
    public sealed record Row(string Path, int Messages, long Delivered, double BytesPerMessage, double Allowance = 0);

    private static readonly byte[] Payload = new byte[16];

    public static IReadOnlyList<Row> Measure(int messages) =>
    [
        Run("client publish: 2 subscribers and a queue group", messages, LocalPublish()),
        Run("message from another node (frame)", messages, FramePublish(fromGateway: false)),
        Run("message from another region (frame)", messages, FramePublish(fromGateway: true)),
        Run("stream import (prefix)", messages, StreamImportPublish()),
        Run("service import (request without reply)", messages, ServiceImportPublish()),
        Run("message from a leaf link (LMSG parsed)", messages, LeafMessagePublish()),
        Run("message to a leaf link (LMSG queued, taken)", messages, LeafOutboundAppend()),
        GatewayResponseAllocations.Measure(messages),
    ];

    /// <summary>One message through a path, with the count of deliveries so far.</summary>
    private delegate long PublishOnce();

    private static Row Run(string path, int messages, PublishOnce publish)
    {
        // Warm up: match caches filled, lists grown, code jitted and tiered.
        for (var i = 0; i < 10_000; i++) publish();
        var before = GC.GetAllocatedBytesForCurrentThread();
        long delivered = 0;
        for (var i = 0; i < messages; i++) delivered = publish();
        var after = GC.GetAllocatedBytesForCurrentThread();
        if (delivered == 0) throw new InvalidOperationException($"{path}: nothing was delivered");
        return new Row(path, messages, delivered, (after - before) / (double)messages);
    }

    private static Account NewAccount(string name) => new(name, literalShards: 2);

    private static CountingSubscriber Subscribe(Account account, string subject, string? queue = null)
    {
        var subscriber = new CountingSubscriber();
        Add(account, new Subscription(subscriber, Encoding.ASCII.GetBytes(subject), queue is null ? null : Encoding.ASCII.GetBytes(queue), "1"u8.ToArray()));
        return subscriber;
    }

    /// <summary>Straight into the index, as the shard actor would: no actor system needed here.</summary>
    private static void Add(Account account, Subscription subscription) =>
        account.Index.Apply(account.Index.ShardOf(subscription.Subject), subscription, add: true);

    private static PublishOnce LocalPublish()
    {
        var account = NewAccount("A");
        var subscribers = new[] { Subscribe(account, "bench.subject"), Subscribe(account, "bench.*"), Subscribe(account, "bench.subject", "q"), Subscribe(account, "bench.>", "q") };
        var context = new DeliveryContext(new CountingSubscriber());
        var subject = "bench.subject"u8.ToArray();
        return () =>
        {
            account.Publish(subject, default, Payload, -1, context);
            context.FlushTouched();
            return Total(subscribers);
        };
    }

    private static PublishOnce FramePublish(bool fromGateway)
    {
        var account = NewAccount("A");
        var subscribers = new[] { Subscribe(account, "bench.subject"), Subscribe(account, "bench.subject", "q") };
        var context = new DeliveryContext(RemotePublisher.Instance) { FromOtherNode = !fromGateway, FromGateway = fromGateway };
        var subject = "bench.subject"u8;
        var frame = new byte[MessageFrames.SizeOf(subject.Length, 0, 1, Payload.Length)];
        var targets = MessageFrames.Write(frame, subject, default, "q"u8, Payload, -1);
        frame[targets.PlainAt] = 1;
        var reach = fromGateway ? SubscriberReach.Cluster : SubscriberReach.Local;
        return () =>
        {
            var offset = 0;
            var read = MessageFrames.Read(frame, ref offset);
            account.Publish(read.Subject, read.Reply, read.HeadersAndPayload, read.HeaderSize, context, new FrameTargets(read, reach));
            context.FlushTouched();
            return Total(subscribers);
        };
    }

    private static PublishOnce StreamImportPublish()
    {
        var exporter = NewAccount("EXP");
        var importer = NewAccount("IMP");
        var import = new StreamImport(importer, new ImportOptions(ExportKind.Stream, "EXP", "events.>") { Prefix = "from" });
        Add(exporter, import.Subscription);
        var subscribers = new[] { Subscribe(importer, "from.events.>") };
        var context = new DeliveryContext(new CountingSubscriber());
        var subject = "events.one"u8.ToArray();
        return () =>
        {
            exporter.Publish(subject, default, Payload, -1, context);
            context.FlushTouched();
            return Total(subscribers);
        };
    }

    private static PublishOnce ServiceImportPublish()
    {
        var exporter = NewAccount("EXP");
        var importer = NewAccount("IMP");
        var import = new ServiceImport(importer, exporter, new ImportOptions(ExportKind.Service, "EXP", "svc.echo"), new ExportOptions(ExportKind.Service, "svc.echo"), latency: null);
        Add(importer, import.Subscription);
        var subscribers = new[] { Subscribe(exporter, "svc.echo") };
        var context = new DeliveryContext(new CountingSubscriber());
        var subject = "svc.echo"u8.ToArray();
        return () =>
        {
            importer.Publish(subject, default, Payload, -1, context);
            context.FlushTouched();
            return Total(subscribers);
        };
    }

    /// <summary>An LMSG naming a queue group, parsed and published as a leaf connection's read loop does.</summary>
    private static PublishOnce LeafMessagePublish()
    {
        var account = NewAccount("A");
        var subscribers = new[] { Subscribe(account, "bench.subject"), Subscribe(account, "bench.subject", "q") };
        var context = new DeliveryContext(RemotePublisher.Instance);
        var frame = Encoding.ASCII.GetBytes("LMSG bench.subject | q 16\r\n0123456789abcdef\r\n");
        return () =>
        {
            LeafParser.TryParse(frame, 4096, 1024 * 1024, out var op, out _, out _);
            account.Publish(op.Subject, op.Reply, op.Payload, op.HeaderSize, context, new LeafTargets(op.Queues));
            context.FlushTouched();
            return Total(subscribers);
        };
    }

    /// <summary>
    /// What a leaf connection's <c>Deliver</c> does per message (its outbound frames an LMSG with
    /// reply, plain and for a queue group), and its writer's take once per batch of 64.
    /// </summary>
    private static PublishOnce LeafOutboundAppend()
    {
        var outbound = new LeafOutbound(maxPending: 64L * 1024 * 1024);
        var context = new DeliveryContext(new CountingSubscriber());
        var subject = "bench.subject"u8.ToArray();
        var reply = "_INBOX.bench.1"u8.ToArray();
        var queue = "q"u8.ToArray();
        long queued = 0;
        return () =>
        {
            context.NextMessage();
            // Every other message for a queue group: both header forms.
            outbound.AppendMessage((queued & 1) == 0 ? null : queue, subject, reply, Payload, -1, context, out _);
            if (++queued % 64 == 0) outbound.Take();
            return outbound.OutMessages;
        };
    }

    private static long Total(CountingSubscriber[] subscribers)
    {
        long total = 0;
        foreach (var subscriber in subscribers) total += subscriber.Received;
        return total;
    }
}

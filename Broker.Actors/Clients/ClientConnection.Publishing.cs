using Broker.Accounts;
using Broker.Protocol;
using Broker.Subjects;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>
    /// The hot path: check the client may publish, then the account's one publish path matches the
    /// subject (cache hit: no lock, no allocation) and appends the message straight into each
    /// subscriber's outbound buffer.
    /// </summary>
    private void OnPublish(ref ParsedOperation op)
    {
        var options = Options;
        if (op.Kind == OperationKind.HPub && !options.Headers)
        {
            // A client that did not announce headers may not send them; nats-server drops it.
            Close(CloseReason.ProtocolViolation);
            return;
        }
        InMessages++;
        InBytes += op.Payload.Length;

        if (options.Pedantic && !SubjectValidator.IsValidPublishSubject(op.Subject))
        {
            SendError(ProtocolErrors.InvalidPublishSubject);
            if (options.Verbose) SendProtocol(ProtocolBytes.Ok);
            return;
        }
        if (!MayPublish(op.Subject, op.Reply)) return;
        if (options.Verbose) SendProtocol(ProtocolBytes.Ok);

        var taken = Account.Publish(op.Subject, op.Reply, op.Payload, op.HeaderSize, _delivery);
        if (!taken && !op.Reply.IsEmpty && options.NoResponders && options.Headers) SendNoResponders(op.Reply);
    }

    /// <summary>
    /// A request nobody can answer: the requester's own subscription on the reply subject gets a
    /// 503 status (nats-server's no-responders), so it fails fast instead of timing out.
    /// </summary>
    internal void SendNoResponders(ReadOnlySpan<byte> reply)
    {
        foreach (var subscription in Account.Index.Match(reply).Plain)
        {
            if (!ReferenceEquals(subscription.Owner, this) || subscription.TryClaimDelivery() == DeliveryClaim.Refused) continue;
            var header = ProtocolBytes.NoRespondersHeader;
            Deliver(subscription, reply, default, header, header.Length, _delivery);
            return;
        }
    }

    void IServiceClient.SendNoResponders(ReadOnlySpan<byte> reply) => SendNoResponders(reply);

    /// <summary>Called by any publisher's read loop: queue the frame, and ask for a flush at the end of its batch.</summary>
    public override void Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize,
        DeliveryContext context)
    {
        if (DeliveryDenied(subscription, subject, reply)) return;
        if (headerSize >= 0 && !Options.Headers)
        {
            // A client that did not announce headers gets the payload alone, as from nats-server.
            headersAndPayload = headersAndPayload[headerSize..];
            headerSize = -1;
        }
        if (_server.Log.IsTraceEnabled) TraceOutMessage(subject, subscription.Sid, reply, headersAndPayload, headerSize);
        var result = _outbound.AppendMessage(subject, subscription.Sid, reply, headersAndPayload, headerSize, out var crowded);
        if (result == AppendResult.NeedsFlush) context.Touched(this);
        else if (result == AppendResult.Full) OnSlowConsumer();
        if (crowded) context.Crowded(this);
    }

    /// <summary>
    /// How long a publisher keeps waiting on this subscriber without seeing one byte of progress:
    /// write_deadline, by which its writer cuts a stuck subscriber (and the wait ends with the close),
    /// as nats-server 2.9.10 stalls its producer until the write deadline cut the non-readers. A
    /// shorter wait let the publisher run on and fill every stuck subscriber to max_pending first.
    /// The clock is the subscriber's, not the publisher's: once it has gone that long without
    /// progress no publisher waits on it again.
    /// </summary>
    // A quarter more than the deadline, so the writer's cut comes first and ends the wait: a publisher
    // released at the same moment would append past max_pending and count the same subscriber twice.
    private TimeSpan ProgressGrace => _server.Options.WriteDeadline + _server.Options.WriteDeadline / 4;

    public override Task WaitForRoomAsync() => _outbound.WaitForRoomAsync(ProgressGrace);

    private void OnSlowConsumer()
    {
        if (IsClosed) return;
        _server.SlowConsumerDetected();
        _server.Log.Notice($"{Description} - Slow Consumer Detected: MaxPending of {_server.Options.MaxPending} Exceeded");
        Close(CloseReason.SlowConsumerPendingBytes, ProtocolErrors.SlowConsumer);
    }
}

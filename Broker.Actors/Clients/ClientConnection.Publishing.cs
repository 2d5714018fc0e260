using Broker.Protocol;
using Broker.Subjects;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>
    /// The hot path: match the subject against the account's index (cache hit: no lock, no
    /// allocation) and append the message straight into each subscriber's outbound buffer.
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
        if (options.Verbose) SendProtocol(ProtocolBytes.Ok);

        var match = Account.Index.Match(op.Subject);
        if (match.IsEmpty)
        {
            if (!op.Reply.IsEmpty && options.NoResponders && options.Headers) SendNoResponders(op.Reply);
            return;
        }

        var echo = options.Echo;
        foreach (var subscription in match.Plain)
        {
            if (!echo && ReferenceEquals(subscription.Owner, this)) continue;
            DeliverTo(subscription, ref op);
        }
        foreach (var group in match.QueueGroups)
        {
            DeliverToOneOf(group, ref op, echo);
        }
    }

    /// <summary>One member of the group gets the message: a random start, then the next that accepts.</summary>
    private void DeliverToOneOf(Subscription[] group, ref ParsedOperation op, bool echo)
    {
        var start = group.Length == 1 ? 0 : Random.Shared.Next(group.Length);
        for (var i = 0; i < group.Length; i++)
        {
            var member = group[(start + i) % group.Length];
            if (!echo && ReferenceEquals(member.Owner, this)) continue;
            if (DeliverTo(member, ref op)) return;
        }
    }

    private bool DeliverTo(Subscription subscription, ref ParsedOperation op)
    {
        var claim = subscription.TryClaimDelivery();
        if (claim == DeliveryClaim.Refused) return false;
        var owner = subscription.Owner;
        if (owner.Deliver(subscription, op.Subject, op.Reply, op.Payload, op.HeaderSize)) _touched.Add(owner);
        if (claim == DeliveryClaim.GrantedLast) owner.OnAutoUnsubscribed(subscription);
        return true;
    }

    /// <summary>
    /// A request nobody can answer: the requester's own subscription on the reply subject gets a
    /// 503 status (nats-server's no-responders), so it fails fast instead of timing out.
    /// </summary>
    private void SendNoResponders(ReadOnlySpan<byte> reply)
    {
        foreach (var subscription in Account.Index.Match(reply).Plain)
        {
            if (!ReferenceEquals(subscription.Owner, this) || subscription.TryClaimDelivery() == DeliveryClaim.Refused) continue;
            var header = ProtocolBytes.NoRespondersHeader;
            if (Deliver(subscription, reply, default, header, header.Length)) _touched.Add(this);
            return;
        }
    }

    /// <summary>Called by any publisher's read loop: queue the frame, report whether a flush is needed.</summary>
    public override bool Deliver(
        Subscription subscription, ReadOnlySpan<byte> subject, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        if (headerSize >= 0 && !Options.Headers)
        {
            // A client that did not announce headers gets the payload alone, as from nats-server.
            headersAndPayload = headersAndPayload[headerSize..];
            headerSize = -1;
        }
        var result = _outbound.AppendMessage(subject, subscription.Sid, reply, headersAndPayload, headerSize);
        if (result == AppendResult.Full) OnSlowConsumer();
        return result == AppendResult.NeedsFlush;
    }

    private void OnSlowConsumer()
    {
        if (IsClosed) return;
        _server.Stats.SlowConsumerDetected();
        _server.Log.Notice($"{Description} - Slow Consumer Detected: MaxPending of {_server.Options.MaxPending} Exceeded");
        Close(CloseReason.SlowConsumerPendingBytes, ProtocolErrors.SlowConsumer);
    }
}

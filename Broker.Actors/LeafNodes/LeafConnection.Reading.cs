using Broker.Protocol;
using Broker.Subjects;

namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    private DeliveryContext? _delivery;
    private long _lastReceived = Environment.TickCount64;

    private async Task ReadLoopAsync(byte[]? leftover = null)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        if (leftover is { Length: > 0 })
        {
            leftover.CopyTo(buffer, 0);
            length = leftover.Length;
        }
        try
        {
            while (!IsClosed)
            {
                var offset = 0;
                while (!IsClosed)
                {
                    var step = Process(buffer, ref offset, length);
                    if (step == Step.Closed) return;
                    if (step == Step.NeedMoreData) break;
                    if (step == Step.WaitForRoom)
                    {
                        // A subscriber here is crowded: stop reading while it drains, so TCP slows the peer's publishers down.
                        _delivery!.FlushTouched();
                        await _delivery.WaitForRoomAsync().ConfigureAwait(false);
                        continue;
                    }
                    // The peer's interest sent before this message takes effect first (a reply subject above all).
                    await _changes!.WhenAllApplied().ConfigureAwait(false);
                }
                _delivery?.FlushTouched();
                if (offset > 0)
                {
                    buffer.AsSpan(offset, length - offset).CopyTo(buffer);
                    length -= offset;
                }
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = await _stream.ReadAsync(buffer.AsMemory(length), _closing.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    Close("Client Closed");
                    return;
                }
                length += read;
                Volatile.Write(ref _lastReceived, Environment.TickCount64);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Close(IsClosed ? "Client Closed" : "Read Error");
        }
        catch (Exception e)
        {
            // A bug must cost this link only, never the server.
            _server.Log.Error($"{Description} - leafnode read loop failed: {e}");
            Close("Read Error");
        }
    }

    private enum Step { NeedMoreData, WaitForChanges, WaitForRoom, Closed }

    /// <summary>Handles whole operations from <paramref name="offset"/> on; stops before a message or PING that must wait for interest changes.</summary>
    private Step Process(byte[] buffer, ref int offset, int length)
    {
        var options = _server.Options;
        while (offset < length && !IsClosed)
        {
            var result = LeafParser.TryParse(buffer.AsSpan(offset, length - offset), options.MaxControlLine, options.MaxPayload, out var op, out var consumed, out var error);
            if (result == ParseResult.NeedMoreData) return Step.NeedMoreData;
            if (result == ParseResult.Error)
            {
                OnParseError(error);
                return Step.Closed;
            }
            // A message, and a PING (its PONG tells the peer its interest is in effect, as a client's), wait for the interest sent before them.
            if (op.Kind is LeafOperationKind.Message or LeafOperationKind.Ping && _changes is { IsEmpty: false }) return Step.WaitForChanges;
            offset += consumed;
            Handle(ref op);
            if (_delivery is { HasCrowded: true }) return Step.WaitForRoom;
        }
        return IsClosed ? Step.Closed : Step.NeedMoreData;
    }

    private void OnParseError(ParseError error)
    {
        var text = error switch
        {
            ParseError.MaxPayloadExceeded => ProtocolErrors.MaxPayloadViolation,
            ParseError.MaxControlLineExceeded => ProtocolErrors.MaxControlLineExceeded,
            _ => ProtocolErrors.UnknownOperation,
        };
        Close("Parse Error", text);
    }

    private void Handle(ref LeafOperation op)
    {
        switch (op.Kind)
        {
            case LeafOperationKind.Ping:
                SendProtocol(ProtocolBytes.Pong);
                return;
            case LeafOperationKind.Pong:
                OnPong();
                return;
            case LeafOperationKind.Ok:
                return;
            case LeafOperationKind.Err:
                OnRemoteError(System.Text.Encoding.UTF8.GetString(op.Arguments));
                return;
            case LeafOperationKind.Connect:
                OnConnect(op.Arguments);
                return;
            case LeafOperationKind.Info:
                OnInfo(op.Arguments);
                return;
        }
        // Nothing from a peer that has not completed the handshake is believed.
        if (!IsEstablished)
        {
            Close("Authentication Failure", ProtocolErrors.AuthorizationViolation);
            return;
        }
        switch (op.Kind)
        {
            case LeafOperationKind.Subscribe:
                OnSubscribe(op.Subject, op.Queues, op.Key);
                break;
            case LeafOperationKind.Unsubscribe:
                OnUnsubscribe(op.Key);
                break;
            case LeafOperationKind.Message:
                OnMessage(ref op);
                break;
        }
    }

    /// <summary>
    /// A message from the peer goes to this server's subscribers (every plain one, and one member
    /// of each queue group it names), to the other links, and never back to the peer. On a leaf,
    /// what comes from the hub stays on this server: its cluster nodes have their own links.
    /// </summary>
    private void OnMessage(ref LeafOperation op)
    {
        InMessages++;
        InBytes += op.Payload.Length;
        // A hub drops what its leaf's user may not publish too (nats-server 2.9 trusts the leaf to filter it).
        if (_incomingRule is { } rule && !rule.Allows(op.Subject) && !LeafSubjectRule.IsExempt(op.Subject)) return;
        // The account's one publish path, as every other source of messages takes.
        Account!.Publish(op.Subject, op.Reply, op.Payload, op.HeaderSize, _delivery!, new LeafTargets(op.Queues));
    }

    private void OnRemoteError(string text)
    {
        _server.Log.Error($"{Description} - Leafnode Error '{text}'");
        if (text.StartsWith("Loop detected", StringComparison.Ordinal) || text.Contains("same cluster name", StringComparison.Ordinal)
            || text.StartsWith("Permissions Violation", StringComparison.Ordinal))
        {
            PenaltyRequested = true;
        }
        Close(text);
    }

    /// <summary>True when the peer refused this link for a reason that makes a leaf wait 30 s before trying again (loop, same cluster, permissions).</summary>
    public bool PenaltyRequested { get; private set; }
}

using System.Net.Sockets;
using Broker.Accounts;
using Broker.Protocol;
using Broker.Subjects;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    /// <summary>This connection as a publisher: subscribers touched in the current read batch are flushed once at its end.</summary>
    private readonly DeliveryContext _delivery;
    private readonly PendingChanges _changes = new();

    /// <summary>Per-connection limits: the server's, tightened by the account's and the user's once authenticated.</summary>
    private int _maxPayload;
    private int _maxSubscriptions;
    private long _lastReadTicks = Environment.TickCount64;

    private enum BatchOutcome : byte { NeedMoreData, WaitForChanges, WaitForAuthentication, WaitForRoom, Closed }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[ReadBufferSizing.Initial];
        var sizing = new ReadBufferSizing();
        int start = 0, end = 0;
        var token = _readCancel.Token;
        try
        {
            while (!IsClosed)
            {
                var read = await _transport.ReceiveAsync(buffer.AsMemory(end), token).ConfigureAwait(false);
                if (read == 0)
                {
                    Close(CloseReason.ClientClosed);
                    break;
                }
                var filled = end + read == buffer.Length;
                end += read;
                Volatile.Write(ref _lastReadTicks, Environment.TickCount64);

                BatchOutcome outcome;
                while ((outcome = ProcessBatch(buffer, ref start, end)) is BatchOutcome.WaitForChanges or BatchOutcome.WaitForAuthentication or BatchOutcome.WaitForRoom)
                {
                    FlushTouched();
                    if (outcome == BatchOutcome.WaitForChanges) await _changes.WhenAllApplied().ConfigureAwait(false);
                    else if (outcome == BatchOutcome.WaitForRoom) await _delivery.WaitForRoomAsync().ConfigureAwait(false);
                    else await CompleteSlowAuthenticationAsync().ConfigureAwait(false);
                }
                FlushTouched();
                if (outcome == BatchOutcome.Closed) break;

                // Keep the unparsed tail at the front; grow when a frame does not fit or reads come in full, shrink after quiet reads.
                if (start == end)
                {
                    start = end = 0;
                }
                else if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }
                var size = sizing.Next(filled, read, buffer.Length, end);
                if (size != buffer.Length)
                {
                    var resized = new byte[size];
                    buffer.AsSpan(0, end).CopyTo(resized);
                    buffer = resized;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closed by us.
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(CloseReason.ReadError);
        }
        catch (Exception e)
        {
            _server.Log.Error($"{Description} - read loop failed: {e}");
            Close(CloseReason.ReadError);
        }
    }

    /// <summary>Parses and runs every whole operation in the buffer, stopping early where ordering needs a wait.</summary>
    private BatchOutcome ProcessBatch(byte[] buffer, ref int start, int end)
    {
        var options = _server.Options;
        var trace = _server.Log.IsTraceEnabled;
        while (start < end)
        {
            var result = ProtocolParser.TryParse(
                buffer.AsSpan(start, end - start), options.MaxControlLine, _maxPayload, out var op, out var consumed, out var error);
            if (result == ParseResult.NeedMoreData) return BatchOutcome.NeedMoreData;
            if (result == ParseResult.Error)
            {
                OnParseError(error, buffer.AsSpan(start, Math.Min(end - start, options.MaxControlLine + 2)));
                return BatchOutcome.Closed;
            }
            if ((op.Kind is OperationKind.Pub or OperationKind.HPub or OperationKind.Ping) && !_changes.IsEmpty)
            {
                return BatchOutcome.WaitForChanges;
            }

            start += consumed;
            if (trace) TraceIn(ref op);
            if (op.Kind != OperationKind.Connect && !AdmitBeforeConnect()) return BatchOutcome.Closed;
            Execute(ref op);
            if (IsClosed) return BatchOutcome.Closed;
            if (_slowAuthentication is not null) return BatchOutcome.WaitForAuthentication;
            // A subscriber's output is crowded: pause reading (TCP pushes back on the publisher) while it drains.
            if (_delivery.HasCrowded) return BatchOutcome.WaitForRoom;
        }
        return BatchOutcome.NeedMoreData;
    }

    private void Execute(ref ParsedOperation op)
    {
        switch (op.Kind)
        {
            case OperationKind.Pub:
            case OperationKind.HPub:
                OnPublish(ref op);
                break;
            case OperationKind.Sub:
                OnSubscribe(op.Subject, op.Queue, op.Sid);
                break;
            case OperationKind.Unsub:
                OnUnsubscribe(op.Sid, op.Max);
                break;
            case OperationKind.Ping:
                SendProtocol(ProtocolBytes.Pong);
                break;
            case OperationKind.Pong:
                Interlocked.Exchange(ref _pingsOutstanding, 0);
                _pongReceived = true;
                break;
            case OperationKind.Connect:
                OnConnect(op.Arguments);
                break;
            // INFO, +OK and -ERR from a client carry nothing we act on.
        }
    }

    private void OnConnect(ReadOnlySpan<byte> json)
    {
        if (!ConnectOptions.TryParse(json, out var options))
        {
            // nats-server closes without an -ERR on a CONNECT it cannot read. The JSON may hold secrets: not logged.
            _server.Log.Error($"{Description} - invalid CONNECT");
            Close(CloseReason.ParseError);
            return;
        }
        if (_server.Log.IsTraceEnabled) _server.Log.Trace($"{Description} - <<- [CONNECT {Redacted(System.Text.Encoding.UTF8.GetString(json))}]");
        _connectArrived = true;
        if (AuthRequired && _server.Authenticator.IsSlow(options))
        {
            // bcrypt takes milliseconds by design, an account fetch a round trip: off the I/O thread, which other clients share.
            _slowAuthentication = (options, Task.Run(() => _server.Authenticator.AuthenticateSlowAsync(options, _nonce, ClientCertificate, RemoteEndPoint?.Address)));
            return;
        }
        CompleteConnect(options, AuthRequired ? _server.Authenticator.Authenticate(options, _nonce, ClientCertificate, RemoteEndPoint?.Address) : null);
    }

    private void CompleteConnect(ConnectOptions options, Security.AuthenticatedClient? client)
    {
        if (!Authenticated(options, client)) return;
        Options = options;
        _delivery.Echo = options.Echo;
        Announce();
        if (options.Verbose) SendProtocol(ProtocolBytes.Ok);
    }

    private void OnParseError(ParseError error, ReadOnlySpan<byte> snippet)
    {
        if (_server.Log.IsDebugEnabled)
        {
            _server.Log.Debug($"{Description} - parser error {error}: '{System.Text.Encoding.ASCII.GetString(snippet)}'");
        }
        switch (error)
        {
            case ParseError.MaxPayloadExceeded:
                Close(CloseReason.MaxPayloadExceeded, ProtocolErrors.MaxPayloadViolation);
                break;
            case ParseError.MaxControlLineExceeded:
                Close(CloseReason.MaxControlLineExceeded, ProtocolErrors.MaxControlLineExceeded);
                break;
            case ParseError.InvalidArguments:
                // nats-server drops such a client without an -ERR, and logs the line at error level.
                _server.Log.Error($"{Description} - {ParseErrorText.Describe(snippet)}");
                Close(CloseReason.ParseError);
                break;
            default:
                Close(CloseReason.ParseError, ProtocolErrors.UnknownOperation);
                break;
        }
    }

    private void FlushTouched() => _delivery.FlushTouched();
}

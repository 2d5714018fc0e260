using System.Text;
using Broker.Protocol;

namespace Broker.Clients;

public sealed partial class ClientConnection
{
    // nats-server's trace lines (client.go traceInOp/traceOutOp/traceMsg). Only ever called behind
    // a check of ServerLog.IsTraceEnabled, so tracing off costs a flag read and nothing else.

    private void TraceIn(ref ParsedOperation op)
    {
        if (op.Kind == OperationKind.Connect) return; // Traced by OnConnect, with secrets redacted.
        _server.Log.Trace($"{Description} - <<- [{Encoding.UTF8.GetString(op.ControlLine)}]");
        if (op.Kind is OperationKind.Pub or OperationKind.HPub)
            _server.Log.Trace($"{Description} - <<- MSG_PAYLOAD: [{TracedPayload(op.Payload, _server.Options.MaxTracedMsgLen)}]");
    }

    private void TraceOutMessage(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> sid, ReadOnlySpan<byte> reply, ReadOnlySpan<byte> headersAndPayload, int headerSize)
    {
        var text = new StringBuilder(headerSize >= 0 ? "HMSG " : "MSG ");
        text.Append(Encoding.UTF8.GetString(subject)).Append(' ').Append(Encoding.UTF8.GetString(sid)).Append(' ');
        if (!reply.IsEmpty) text.Append(Encoding.UTF8.GetString(reply)).Append(' ');
        if (headerSize >= 0) text.Append(headerSize).Append(' ');
        text.Append(headersAndPayload.Length);
        _server.Log.Trace($"{Description} - ->> [{text}]");
    }

    /// <summary>A protocol frame sent (PONG, PING, +OK, -ERR): nats-server traces it without the line end, +OK as OK.</summary>
    private void TraceOutProtocol(ReadOnlySpan<byte> frame)
    {
        var line = Encoding.UTF8.GetString(frame).TrimEnd('\r', '\n');
        if (line.StartsWith("INFO ", StringComparison.Ordinal)) return;
        _server.Log.Trace($"{Description} - ->> [{(line == "+OK" ? "OK" : line)}]");
    }

    /// <summary>Go's <c>%q</c> of the payload, cut at <c>max_traced_msg_len</c> with "..." as nats-server does.</summary>
    internal static string TracedPayload(ReadOnlySpan<byte> payload, int maxTracedLength)
    {
        var cut = maxTracedLength > 0 && payload.Length > maxTracedLength;
        var quoted = new StringBuilder("\"");
        foreach (var b in cut ? payload[..maxTracedLength] : payload)
        {
            quoted.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        if (cut) quoted.Append("...");
        return quoted.Append('"').ToString();
    }
}

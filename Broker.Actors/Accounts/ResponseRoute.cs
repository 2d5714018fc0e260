using Broker.Configuration;

namespace Broker.Accounts;

/// <summary>
/// Where a response to an imported service request goes: the importing account and the
/// requester's own reply subject, hidden from the exporter behind a <c>_R_.</c> subject.
/// </summary>
internal sealed class ResponseRoute(Account importer, byte[] reply, ResponseType type, long expiresAtTicks)
{
    public Account Importer { get; } = importer;
    public byte[] Reply { get; } = reply;
    public ResponseType Type { get; } = type;
    public long ExpiresAtTicks { get; } = expiresAtTicks;

    /// <summary>Set by the latency tracker: when the request was forwarded, for the first response's sample.</summary>
    public ServiceLatencyProbe? Latency { get; init; }
}

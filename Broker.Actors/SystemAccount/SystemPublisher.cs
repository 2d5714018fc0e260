using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Broker.Accounts;
using Broker.Monitoring;
using Broker.Subjects;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// Publishes the server's own messages into an account through the account's one publish path, as
/// a client's PUB (<see cref="Account.Publish(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, int, DeliveryContext)"/>), then flushes. A message is built only when someone would receive it, and then gets the
/// next sequence number, as nats-server's send loop numbers what it sends. Used by one actor only.
/// </summary>
internal sealed class SystemPublisher
{
    private readonly ServerContext _server;
    private readonly DeliveryContext _delivery;
    private readonly EventIds _ids = new();
    private ulong _sequence;

    public SystemPublisher(ServerContext server, SystemClient client)
    {
        _server = server;
        _delivery = new DeliveryContext(client) { Echo = false };
    }

    /// <summary>A fresh advisory id.</summary>
    public string NextId() => _ids.Next();

    public bool TryPublish<T>(Account account, string subject, Func<EventServerInfo, T> build, JsonTypeInfo<T> type) =>
        TryPublish(account, subject, server => JsonSerializer.SerializeToUtf8Bytes(build(server), type));

    /// <summary>Builds and delivers the message if the subject has any subscriber; false when nobody listens.</summary>
    public bool TryPublish(Account account, string subject, Func<EventServerInfo, byte[]> build)
    {
        var bytes = Encoding.ASCII.GetBytes(subject);
        var listened = !account.Index.Match(bytes).IsEmpty || (account.HasResponseRoutes && bytes.AsSpan().StartsWith("_R_."u8));
        if (!listened) return false;

        var payload = build(NextServerInfo());
        account.Publish(bytes, default, payload, -1, _delivery);
        _delivery.FlushTouched();
        return true;
    }

    /// <summary>A request of the server's own (a resolver lookup or PACK), answered on <paramref name="reply"/>; false when nobody listens.</summary>
    public bool TryRequest(Account account, string subject, string reply, byte[] payload)
    {
        var bytes = Encoding.ASCII.GetBytes(subject);
        if (account.Index.Match(bytes).IsEmpty) return false;
        account.Publish(bytes, Encoding.ASCII.GetBytes(reply), payload, -1, _delivery);
        _delivery.FlushTouched();
        return true;
    }

    private EventServerInfo NextServerInfo() => new()
    {
        Name = _server.ServerName,
        Host = _server.Options.Host,
        Id = _server.ServerId,
        Cluster = _server.Options.Cluster?.Name is { Length: > 0 } cluster ? cluster : _server.Options.Gateway?.Name,
        Version = ServerContext.ProtocolVersion,
        Seq = ++_sequence,
        Time = GoFormat.Time(DateTime.UtcNow),
    };
}

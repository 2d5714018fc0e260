using Broker.Accounts;
using Broker.Clients;
using Broker.Monitoring;
using Broker.Server;

namespace Broker.SystemAccount;

/// <summary>
/// Each account's traffic and slow consumers for its connection-count advisories: the live
/// connections' counters read when asked, plus the final counts of closed ones, folded in as the
/// system events actor hears of each close. Nothing is counted on the message path.
/// </summary>
internal sealed class AccountActivity(ServerContext server)
{
    private readonly Dictionary<Account, Closed> _closed = new();

    public void Add(ClientConnection connection)
    {
        var slow = connection.ClosedBy is CloseReason.SlowConsumerPendingBytes or CloseReason.SlowConsumerWriteDeadline ? 1 : 0;
        _closed[connection.Account] = _closed.TryGetValue(connection.Account, out var before)
            ? new Closed(before.Traffic + Traffic.Of(connection), before.SlowConsumers + slow)
            : new Closed(Traffic.Of(connection), slow);
    }

    public AccountConnectionsEvent Describe(Account account, string id, EventServerInfo sender)
    {
        _closed.TryGetValue(account, out var closed);
        var traffic = closed.Traffic;
        foreach (var connection in server.Connections.Values)
        {
            if (ReferenceEquals(connection.Account, account)) traffic += Traffic.Of(connection);
        }
        return new AccountConnectionsEvent
        {
            Id = id,
            Timestamp = GoFormat.Time(DateTime.UtcNow),
            Server = sender,
            Account = account.Name,
            Connections = account.Connections,
            TotalConnections = account.Connections,
            Received = DataStats.In(traffic),
            Sent = DataStats.Out(traffic),
            SlowConsumers = closed.SlowConsumers,
        };
    }

    private readonly record struct Closed(Traffic Traffic, long SlowConsumers);
}

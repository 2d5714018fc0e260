using Broker.Accounts;
using Broker.Clients;
using Broker.Monitoring;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// What each account's connection-count advisories report, kept by the system events actor from
/// what it is told: the clients announced in the account (so the counts follow the advisories'
/// own order, whatever the actor's delay), and the traffic and slow consumers of closed ones,
/// added to the live connections' counters when asked. Nothing is counted on the message path.
/// </summary>
internal sealed class AccountActivity(ServerContext server)
{
    private readonly Dictionary<Account, Tally> _tallies = new();

    public void Joined(Account account) => TallyOf(account).Connections++;

    public void Left(Account account) => TallyOf(account).Connections--;

    /// <summary>A finished connection's final counts, once, whether or not it was ever announced.</summary>
    public void Closed(ClientConnection connection)
    {
        var tally = TallyOf(connection.Account);
        tally.ClosedTraffic += Traffic.Of(connection);
        if (connection.ClosedBy is CloseReason.SlowConsumerPendingBytes or CloseReason.SlowConsumerWriteDeadline) tally.SlowConsumers++;
    }

    public AccountConnectionsEvent Describe(Account account, string id, EventServerInfo sender)
    {
        var tally = TallyOf(account);
        var traffic = tally.ClosedTraffic;
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
            Connections = tally.Connections,
            TotalConnections = tally.Connections,
            Received = DataStats.In(traffic),
            Sent = DataStats.Out(traffic),
            SlowConsumers = tally.SlowConsumers,
        };
    }

    private Tally TallyOf(Account account)
    {
        if (!_tallies.TryGetValue(account, out var tally)) _tallies.Add(account, tally = new Tally());
        return tally;
    }

    private sealed class Tally
    {
        public int Connections;
        public Traffic ClosedTraffic;
        public long SlowConsumers;
    }
}

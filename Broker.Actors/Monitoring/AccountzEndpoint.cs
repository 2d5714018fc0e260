using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary><c>/accountz</c>: the accounts this server knows, or with <c>acc=NAME</c> that account's detail.</summary>
public sealed class AccountzEndpoint(ServerContext server) : IMonitorEndpoint
{
    public string Path => "/accountz";

    public MonitorResponse Respond(MonitorRequest request)
    {
        var name = request.Text("acc");
        AccountInfo? detail = null;
        if (name.Length > 0)
        {
            if (!server.Accounts.TryGet(name, out var account)) throw new MonitorQueryException($"Account {name} does not exist");
            var stats = SublistStats.Of(account);
            detail = new AccountInfo
            {
                AccountName = account.Name,
                UpdateTime = GoFormat.Time(server.StartTime),
                IsSystem = ReferenceEquals(account, server.Accounts.System),
                ClientConnections = account.Connections,
                Subscriptions = stats.NumSubscriptions,
                SublistStats = stats,
            };
        }
        var accountz = new Accountz
        {
            ServerId = server.ServerId,
            Now = GoFormat.Time(request.Now),
            SystemAccount = server.Accounts.System?.Name,
            Accounts = detail is null ? server.Accounts.All.Select(a => a.Name).Order(StringComparer.Ordinal).ToArray() : null,
            AccountDetail = detail,
        };
        return MonitorResponse.Json(accountz, MonitorJsonContext.Indented.Accountz);
    }
}

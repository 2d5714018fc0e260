using System.Text;
using Broker.Subjects;
using Broker.Clients;
using Broker.Runtime;

namespace Broker.Monitoring;

/// <summary>
/// <c>/subsz</c>: the subscription index statistics; with <c>subs=1</c> also the subscriptions
/// (paged by <c>offset</c>/<c>limit</c>, filtered by <c>acc</c> and by <c>test=subject</c>, those a
/// message on that subject would reach). As nats-server, an answer without subscriptions is the
/// statistics object alone.
/// </summary>
public sealed class SubszEndpoint(ServerContext server) : IMonitorEndpoint
{
    public const int DefaultLimit = 1024;

    public string Path => "/subsz";

    public MonitorResponse Respond(MonitorRequest request)
    {
        var subsz = Build(request);
        if (subsz.SubscriptionsList is null) return MonitorResponse.Json(SublistStats.Of(subsz), MonitorJsonContext.Indented.SublistStats);
        return MonitorResponse.Json(subsz, MonitorJsonContext.Indented.Subsz);
    }

    /// <summary>
    /// The whole body, with no list when no subscription is in the page: the system account's
    /// SUBSZ requests answer this object as it is.
    /// </summary>
    public Subsz Build(MonitorRequest request)
    {
        var listed = request.Bool("subs");
        var offset = Math.Max(0, request.Int("offset"));
        var limit = request.Int("limit");
        if (limit <= 0) limit = DefaultLimit;
        var test = request.Text("test");
        var accountFilter = request.Text("acc");
        if (test.Length > 0 && !SubjectValidator.IsValidPublishSubject(Encoding.UTF8.GetBytes(test)))
        {
            throw new MonitorQueryException($"invalid test subject, must be valid publish subject: {test}");
        }

        var accounts = server.Accounts.All.Where(a => accountFilter.Length == 0 || accountFilter == a.Name).ToList();
        var stats = new SublistStats { NumSubscriptions = accounts.Sum(a => a.Index.SubscriptionCount) };

        var details = new List<SubDetail>();
        if (listed && accounts.Count > 0)
        {
            var testBytes = Encoding.UTF8.GetBytes(test);
            foreach (var connection in server.Connections.Values.OrderBy(c => c.Id))
            {
                var account = connection.Account;
                if (!accounts.Contains(account)) continue;
                foreach (var subscription in connection.Subscriptions)
                {
                    if (test.Length > 0 && !SubjectMatcher.Matches(subscription.Subject, testBytes)) continue;
                    details.Add(SubDetail.Of(SubscriptionSnapshot.Of(subscription), connection.Id, account.Name));
                }
            }
        }
        var page = details.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)Math.Min(limit, int.MaxValue)).ToArray();
        return new Subsz
        {
            ServerId = server.ServerId,
            Now = GoFormat.Time(request.Now),
            NumSubscriptions = stats.NumSubscriptions,
            Total = page.Length,
            Offset = offset,
            Limit = limit,
            SubscriptionsList = page.Length == 0 ? null : page,
        };
    }
}

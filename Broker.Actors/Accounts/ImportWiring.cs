using Broker.Configuration;
using Broker.Subjects;

namespace Broker.Accounts;

/// <summary>
/// Turns configured imports into subscriptions: a stream import subscribes in the exporting
/// account, a service import in the importing one. The configuration loader has already checked
/// that each import names an existing account and an export it may use.
/// </summary>
internal static class ImportWiring
{
    public static IReadOnlyList<(Account Account, Subscription Subscription)> Build(BrokerOptions options, AccountDirectory accounts, string serverId)
    {
        var wiring = new List<(Account, Subscription)>();
        var exports = options.Accounts.ToDictionary(a => a.Name, a => a.Exports, StringComparer.Ordinal);
        var trackers = new Dictionary<ExportOptions, ServiceLatencyTracker>(ReferenceEqualityComparer.Instance);
        foreach (var configured in options.Accounts)
        {
            var importer = accounts[configured.Name];
            foreach (var import in configured.Imports)
            {
                var exporter = accounts[import.Account];
                if (import.Kind == ExportKind.Stream)
                {
                    wiring.Add((exporter, new StreamImport(importer, import).Subscription));
                    continue;
                }
                var export = exports[import.Account].First(e => e.Kind == ExportKind.Service && SubjectPatterns.IsSubsetOf(import.Subject, e.Subject));
                ServiceLatencyTracker? tracker = null;
                if (export.Latency is { } latency && !trackers.TryGetValue(export, out tracker))
                {
                    tracker = new ServiceLatencyTracker(exporter, latency, serverId);
                    trackers.Add(export, tracker);
                }
                wiring.Add((importer, new ServiceImport(importer, exporter, import, export, tracker).Subscription));
            }
        }
        return wiring;
    }
}

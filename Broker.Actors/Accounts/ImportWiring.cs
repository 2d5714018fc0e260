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
    public static IReadOnlyList<(Account Importer, Account Account, Subscription Subscription)> Build(BrokerOptions options, AccountDirectory accounts, string serverId)
    {
        var exports = options.Accounts.ToDictionary(a => a.Name, a => a.Exports, StringComparer.Ordinal);
        var trackers = new Dictionary<ExportOptions, ServiceLatencyTracker>(ReferenceEqualityComparer.Instance);
        return options.Accounts.SelectMany(a => For(a, exports, accounts, serverId, trackers).Select(w => (accounts[a.Name], w.Account, w.Subscription))).ToList();
    }

    /// <summary>The subscriptions that make <paramref name="importer"/>'s imports work, each with the account whose index it goes into.</summary>
    public static IEnumerable<(Account Account, Subscription Subscription)> For(
        AccountOptions importerOptions, IReadOnlyDictionary<string, IReadOnlyList<ExportOptions>> exports, AccountDirectory accounts, string serverId,
        Dictionary<ExportOptions, ServiceLatencyTracker>? trackers = null)
    {
        trackers ??= new Dictionary<ExportOptions, ServiceLatencyTracker>(ReferenceEqualityComparer.Instance);
        var importer = accounts[importerOptions.Name];
        foreach (var import in importerOptions.Imports)
        {
            if (!accounts.TryGet(import.Account, out var exporter) || !exports.TryGetValue(import.Account, out var offered)) continue;
            if (import.Kind == ExportKind.Stream)
            {
                yield return (exporter, new StreamImport(importer, import).Subscription);
                continue;
            }
            var export = offered.FirstOrDefault(e => e.Kind == ExportKind.Service && SubjectPatterns.IsSubsetOf(import.Subject, e.Subject));
            if (export is null) continue;
            ServiceLatencyTracker? tracker = null;
            if (export.Latency is { } latency && !trackers.TryGetValue(export, out tracker))
            {
                tracker = new ServiceLatencyTracker(exporter, latency, serverId);
                trackers.Add(export, tracker);
            }
            yield return (importer, new ServiceImport(importer, exporter, import, export, tracker).Subscription);
        }
    }
}

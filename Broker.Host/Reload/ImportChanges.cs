using Broker.Configuration;

namespace Broker.Host.Reload;

/// <summary>
/// Which accounts' imports a reload must rebuild: those whose imports changed, that were added or
/// removed with imports, or that import from an account whose exports changed. Only these are
/// rebuilt, so an unchanged import never misses a message during a reload.
/// </summary>
internal static class ImportChanges
{
    public static IReadOnlySet<string> Between(BrokerOptions old, BrokerOptions updated)
    {
        var before = old.Accounts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var after = updated.Accounts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var rewired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in before.Keys.Union(after.Keys))
        {
            var was = before.GetValueOrDefault(name);
            var now = after.GetValueOrDefault(name);
            if (was is null || now is null)
            {
                if ((was?.Imports.Count ?? 0) + (now?.Imports.Count ?? 0) > 0) rewired.Add(name);
                continue;
            }
            if (!OptionsDifference.Same(was.Imports, now.Imports, 0)
                || now.Imports.Any(i => !OptionsDifference.Same(before.GetValueOrDefault(i.Account)?.Exports, after.GetValueOrDefault(i.Account)?.Exports, 0)))
            {
                rewired.Add(name);
            }
        }
        return rewired;
    }
}

using System.Collections;
using System.Reflection;
using Broker.Configuration;

namespace Broker.Host.Reload;

/// <summary>
/// Which top-level options differ between two loads of a configuration, compared by value (lists
/// element by element, records field by field) so that re-reading an unchanged file is no change:
/// nats-server's reload has been bitten by comparing internals (nats-io/nats-server#1509, PR #2274).
/// </summary>
internal static class OptionsDifference
{
    private static readonly PropertyInfo[] Properties = typeof(BrokerOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
        .ToArray();

    public static IReadOnlyList<(string Name, object? Old, object? New)> Between(BrokerOptions old, BrokerOptions updated) =>
        Properties
            .Select(p => (p.Name, Old: p.GetValue(old), New: p.GetValue(updated)))
            .Where(d => !Same(d.Old, d.New, 0))
            .ToArray();

    internal static bool Same(object? a, object? b, int depth)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a is null || b is null || a.GetType() != b.GetType()) return false;
        if (a.Equals(b)) return true;
        if (depth > 10) return false;
        var type = a.GetType();
        if (type.IsPrimitive || type.IsEnum || a is string or decimal or TimeSpan or DateTime or DateTimeOffset) return false;
        if (a is Akka.Configuration.Config ca) return ca.ToString() == ((Akka.Configuration.Config)b).ToString();
        if (a is IDictionary da)
        {
            var db = (IDictionary)b;
            if (da.Count != db.Count) return false;
            foreach (DictionaryEntry entry in da)
                if (!db.Contains(entry.Key) || !Same(entry.Value, db[entry.Key], depth + 1)) return false;
            return true;
        }
        if (a is IEnumerable ea)
        {
            var left = ea.Cast<object?>().ToList();
            var right = ((IEnumerable)b).Cast<object?>().ToList();
            return left.Count == right.Count && left.Zip(right).All(pair => Same(pair.First, pair.Second, depth + 1));
        }
        // A record or class of the configuration: field by field.
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            if (!Same(field.GetValue(a), field.GetValue(b), depth + 1)) return false;
        return true;
    }
}

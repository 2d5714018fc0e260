using Broker.Subjects;

namespace Broker.Configuration;

/// <summary>
/// Rules across accounts, checked once everything is read: imports name existing accounts and
/// exports they may use, nothing imports from itself, streams cannot loop back to where they came
/// from, user names are unique, and the named system account and no-auth user exist.
/// </summary>
public static partial class BrokerConfigLoader
{
    private static void CheckAccountRules(BrokerOptions options, ValueReader reader)
    {
        var byName = options.Accounts.ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var account in options.Accounts)
        {
            var key = reader.Seen("accounts") is { } accountsKey ? $"{accountsKey}.{account.Name}.imports" : "accounts";
            foreach (var import in account.Imports)
            {
                var what = $"{import.Kind.ToString().ToLowerInvariant()} import of \"{import.Subject}\" from account \"{import.Account}\"";
                if (import.Account == account.Name) throw reader.Error(key, $"{what}: an account cannot import from itself");
                if (!byName.TryGetValue(import.Account, out var exporter)) throw reader.Error(key, $"{what}: no such account");
                var export = exporter.Exports.FirstOrDefault(e => e.Kind == import.Kind && SubjectPatterns.IsSubsetOf(import.Subject, e.Subject));
                if (export is null) throw reader.Error(key, $"{what}: account \"{import.Account}\" does not export it");
                if (!export.AllowsAccount(account.Name))
                    throw reader.Error(key, $"{what}: not authorized, the export is private to [{string.Join(", ", export.Accounts!)}]");
            }
        }
        CheckStreamCycles(options, reader);

        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in options.Users.Concat(options.Accounts.SelectMany(a => a.Users)))
        {
            if (!users.Add(user.Name))
            {
                var key = user.Account == AccountNames.Global ? "authorization.users" : $"accounts.{user.Account}.users";
                throw reader.Error(key, $"duplicate user \"{user.Name}\"");
            }
        }
        if (options.NoAuthUser is { } noAuth && !users.Contains(noAuth))
            throw reader.Error(reader.Seen("no_auth_user") ?? "no_auth_user", $"no_auth_user \"{noAuth}\" is not a configured user");
        if (options.NoSystemAccount && reader.Seen("system_account") is { } both)
            throw reader.Error(both, "system_account cannot be combined with no_system_account");
        // In operator mode the system account may have no JWT of its own: it is then created empty.
        if (options.Operator is null && options.SystemAccount != AccountNames.DefaultSystem && !byName.ContainsKey(options.SystemAccount))
            throw reader.Error(reader.Seen("system_account") ?? reader.Seen("system") ?? "system_account", $"system account \"{options.SystemAccount}\" is not a configured account");
        if (options.Token is not null && users.Count > 0)
            throw reader.Error(reader.Seen("authorization") ?? "authorization", "a token cannot be combined with users");
    }

    /// <summary>
    /// A stream import forwards messages into the importer, where another account's import may pick
    /// them up again; if that chain can return to its start, one message would circulate forever.
    /// </summary>
    private static void CheckStreamCycles(BrokerOptions options, ValueReader reader)
    {
        // Each edge: messages on Subject in From appear in To as Mapped.
        var edges = options.Accounts
            .SelectMany(to => to.Imports.Where(i => i.Kind == ExportKind.Stream).Select(i =>
                (From: i.Account, To: to.Name, Subject: i.Subject,
                 Mapped: i.Prefix is not null ? $"{i.Prefix}.{i.Subject}" : i.To ?? i.Subject)))
            .ToList();
        foreach (var start in edges)
        {
            var stack = new Stack<(string Account, string Subject, int Depth)>();
            stack.Push((start.To, start.Mapped, 1));
            while (stack.Count > 0)
            {
                var (account, subject, depth) = stack.Pop();
                if (depth > edges.Count) continue;
                foreach (var next in edges.Where(e => e.From == account && SubjectPatterns.Intersects(e.Subject, subject)))
                {
                    if (next.To == start.From && SubjectPatterns.Intersects(start.Subject, next.Mapped))
                    {
                        var key = reader.Seen("accounts") is { } accountsKey ? $"{accountsKey}.{start.To}.imports" : "accounts";
                        throw reader.Error(key, $"stream import cycle: \"{start.Subject}\" from account \"{start.From}\" can flow back into \"{start.From}\"");
                    }
                    stack.Push((next.To, next.Mapped, depth + 1));
                }
            }
        }
    }
}

using System.Text;
using System.Text.Json;
using Broker.Accounts;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Resolvers;
using Broker.Runtime;

namespace Broker.SystemAccount;

/// <summary>
/// The built-in resolver's requests other than updates, answered as nats-server 2.9 does:
/// LOOKUP gives the raw JWT (and nothing when it is not stored), LIST the stored accounts,
/// DELETE (an operator-signed list of accounts, with <c>allow_delete</c>) removes them, PACK
/// gives every stored JWT as <c>&lt;account&gt;|&lt;jwt&gt;</c> lines ending with an empty message, or
/// the empty message alone when the requester's hash equals ours.
/// </summary>
internal sealed class ClaimsRequests(ServerContext server, Account system, SystemPublisher publisher, AccountJwtStore store)
{
    public void Lookup(SystemRequest request, string account)
    {
        if (request.Reply.Length == 0 || !NKey.IsValidPublicKey(account, NKeyType.Account)) return;
        if (store.Read(account) is { } jwt) publisher.TryPublish(system, request.Reply, _ => Encoding.UTF8.GetBytes(jwt));
    }

    public void List(SystemRequest request)
    {
        if (request.Reply.Length == 0) return;
        var accounts = store.Accounts().ToList();
        publisher.TryPublish(system, request.Reply, sender => new ServerApiResponse<List<string>> { Server = sender, Data = accounts },
            SystemJsonContext.Relaxed.ServerApiResponseListString);
    }

    public void Pack(SystemRequest request)
    {
        if (request.Reply.Length == 0) return;
        if (!request.Body.AsSpan().SequenceEqual(store.Hash()))
            foreach (var line in store.Pack()) publisher.TryPublish(system, request.Reply, _ => Encoding.UTF8.GetBytes(line));
        publisher.TryPublish(system, request.Reply, _ => []);
    }

    /// <summary>Removes the listed accounts from the store and from this server's known accounts; the reply says how many.</summary>
    public void Delete(SystemRequest request)
    {
        var (accounts, subject, error) = Validate(Encoding.UTF8.GetString(request.Body));
        if (error is not null)
        {
            Reply(request, Failure($"delete accounts request by {subject} failed - {error}"));
            return;
        }
        var deleted = 0;
        var failures = new List<string>();
        foreach (var account in accounts!)
        {
            if (!store.Delete(account))
            {
                failures.Add($"account {account} not found");
                continue;
            }
            deleted++;
            // New connections of a deleted account are refused; what happens to open ones is the live-connection side's business.
            server.OperatorAccounts?.Remove(account);
            server.Log.Notice($"Account {account} deleted from the resolver");
        }
        Reply(request, failures.Count == 0
            ? new ClaimsUpdateResponse { Data = new ClaimsUpdateData { Message = $"deleted {deleted} accounts" } }
            : Failure($"deleted {deleted} accounts, failed for {failures.Count} - {string.Join("\n", failures)}"));
    }

    private (List<string>? Accounts, string Subject, string? Error) Validate(string jwt)
    {
        if (!JwtDecoder.TryDecode(jwt.Trim(), out var claims, out var decodeError)) return (null, "", decodeError);
        var subject = claims.Subject ?? "";
        if (!store.Options.AllowDelete) return (null, subject, "delete must be enabled in server config");
        if (claims.Subject != claims.Issuer) return (null, subject, "not self signed");
        if (server.Options.Operator is not { } mode || !(claims.Issuer == mode.Operator.Subject || mode.Operator.Nats.SigningKeys?.Contains(claims.Issuer!) == true))
            return (null, subject, "not trusted");
        if (claims is not GenericClaims { Nats.Data: { } data } || !data.TryGetValue("accounts", out var list) || list.ValueKind != JsonValueKind.Array)
            return (null, subject, "malformed request");
        var accounts = new List<string>();
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String || entry.GetString() is not { } account || !NKey.IsValidPublicKey(account, NKeyType.Account))
                return (null, subject, "malformed request");
            if (account == server.Options.SystemAccount) return (null, subject, "not allowed to delete system account");
            accounts.Add(account);
        }
        return (accounts, subject, null);
    }

    private static ClaimsUpdateResponse Failure(string description) => new() { Error = new ClaimsUpdateError { Description = description } };

    private void Reply(SystemRequest request, ClaimsUpdateResponse response)
    {
        if (request.Reply.Length == 0) return;
        publisher.TryPublish(system, request.Reply, sender => new ClaimsUpdateResponse { Server = sender, Data = response.Data, Error = response.Error },
            SystemJsonContext.Relaxed.ClaimsUpdateResponse);
    }
}

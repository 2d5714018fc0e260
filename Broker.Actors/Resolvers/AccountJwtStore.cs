using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Broker.Configuration;

namespace Broker.Resolvers;

/// <summary>
/// The directory of a full or cache resolver, nats-server's flat layout: one
/// <c>&lt;dir&gt;/&lt;ACCOUNT&gt;.jwt</c> file per account holding the JWT alone. A full store refuses a
/// new account past its <c>limit</c> and, with <c>allow_delete</c>, deletes by renaming to
/// <c>.jwt.deleted</c>; a cache forgets the least recently used past its limit and any JWT older
/// than its <c>ttl</c>. Its hash (the XOR of every JWT's SHA-256) is what PACK exchanges compare.
/// </summary>
public sealed class AccountJwtStore(ResolverOptions options)
{
    private const string Extension = ".jwt";
    public const string DeletedExtension = ".jwt.deleted";

    private readonly string _directory = options.Directory ?? throw new ArgumentException("a store needs a directory", nameof(options));
    private readonly ConcurrentDictionary<string, DateTime> _lastUsed = new(StringComparer.Ordinal);

    public ResolverOptions Options { get; } = options;

    private string PathOf(string account) => Path.Combine(_directory, account + Extension);

    /// <summary>Every account with a JWT in the store.</summary>
    public IReadOnlyList<string> Accounts() =>
        Directory.EnumerateFiles(_directory, "*" + Extension).Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>The stored JWT, or null; a cache entry past its ttl is removed instead.</summary>
    public string? Read(string account)
    {
        var path = PathOf(account);
        try
        {
            if (Options.Ttl > TimeSpan.Zero && File.Exists(path) && File.GetLastWriteTimeUtc(path) + Options.Ttl < DateTime.UtcNow)
            {
                File.Delete(path);
                return null;
            }
            var jwt = File.ReadAllText(path).Trim();
            _lastUsed[account] = DateTime.UtcNow;
            return jwt.Length == 0 ? null : jwt;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Why a JWT for a new <paramref name="account"/> cannot be kept (a full store at its limit); null when it can.</summary>
    public string? RefusalFor(string account) =>
        Options.Kind == ResolverKind.Full && Options.Limit > 0 && !File.Exists(PathOf(account)) && Accounts().Count >= Options.Limit
            ? "jwt store is full"
            : null;

    /// <summary>A cache past its limit forgets its least recently used JWTs (a full store never evicts).</summary>
    public void Evict()
    {
        if (Options.Kind != ResolverKind.Cache || Options.Limit <= 0) return;
        var accounts = Accounts();
        foreach (var account in accounts.OrderBy(a => _lastUsed.TryGetValue(a, out var at) ? at : File.GetLastWriteTimeUtc(PathOf(a))).Take(accounts.Count - (int)Options.Limit))
        {
            File.Delete(PathOf(account));
            _lastUsed.TryRemove(account, out _);
        }
    }

    /// <summary>Records that <paramref name="account"/> was just written or used (for the cache's LRU order).</summary>
    public void Touch(string account) => _lastUsed[account] = DateTime.UtcNow;

    /// <summary>Removes the account's JWT: renamed to <c>.jwt.deleted</c> by a full store (so it can be restored), gone from a cache.</summary>
    public bool Delete(string account)
    {
        var path = PathOf(account);
        if (!File.Exists(path)) return false;
        if (Options.Kind == ResolverKind.Full) File.Move(path, Path.Combine(_directory, account + DeletedExtension), overwrite: true);
        else File.Delete(path);
        _lastUsed.TryRemove(account, out _);
        return true;
    }

    /// <summary>The XOR of the SHA-256 of every stored JWT: equal hashes, equal stores (whatever the order of arrival).</summary>
    public byte[] Hash()
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        foreach (var account in Accounts())
        {
            if (Read(account) is not { } jwt) continue;
            var one = SHA256.HashData(Encoding.UTF8.GetBytes(jwt));
            for (var i = 0; i < hash.Length; i++) hash[i] ^= one[i];
        }
        return hash;
    }

    /// <summary>Every stored JWT as PACK lines, <c>&lt;account&gt;|&lt;jwt&gt;</c>.</summary>
    public IEnumerable<string> Pack()
    {
        foreach (var account in Accounts())
            if (Read(account) is { } jwt) yield return $"{account}|{jwt}";
    }
}

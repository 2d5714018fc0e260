using System.Security.Cryptography;
using System.Text;
using Broker.Configuration;
using Broker.Resolvers;

namespace Broker.Tests.Resolvers;

/// <summary>The resolver directory: flat files, the cache's LRU limit and ttl, the full store's limit and soft delete, the order-free hash.</summary>
public sealed class AccountJwtStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"broker-store-{Guid.NewGuid():N}");

    public AccountJwtStoreTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void Write(string account, string jwt) => File.WriteAllText(Path.Combine(_directory, $"{account}.jwt"), jwt);

    [Fact]
    public void A_cache_past_its_limit_forgets_the_least_recently_used()
    {
        var store = new AccountJwtStore(new ResolverOptions(ResolverKind.Cache) { Directory = _directory, Limit = 2 });
        foreach (var account in new[] { "A1", "A2" })
        {
            Write(account, $"jwt-{account}");
            store.Touch(account);
            Thread.Sleep(5);
        }
        Assert.Equal("jwt-A1", store.Read("A1"));
        Write("A3", "jwt-A3");
        store.Touch("A3");
        store.Evict();
        Assert.Equal(new[] { "A1", "A3" }, store.Accounts());
    }

    [Fact]
    public void A_cache_entry_past_its_ttl_is_gone()
    {
        var store = new AccountJwtStore(new ResolverOptions(ResolverKind.Cache) { Directory = _directory, Ttl = TimeSpan.FromMinutes(1) });
        Write("A1", "jwt");
        Assert.Equal("jwt", store.Read("A1"));
        File.SetLastWriteTimeUtc(Path.Combine(_directory, "A1.jwt"), DateTime.UtcNow.AddMinutes(-2));
        Assert.Null(store.Read("A1"));
        Assert.Empty(store.Accounts());
    }

    [Fact]
    public void A_full_store_refuses_new_accounts_at_its_limit_and_deletes_by_renaming()
    {
        var store = new AccountJwtStore(new ResolverOptions(ResolverKind.Full) { Directory = _directory, Limit = 1 });
        Write("A1", "jwt");
        Assert.Equal("jwt store is full", store.RefusalFor("A2"));
        Assert.Null(store.RefusalFor("A1"));
        Assert.True(store.Delete("A1"));
        Assert.True(File.Exists(Path.Combine(_directory, "A1.jwt.deleted")));
        Assert.False(store.Delete("A1"));
        Assert.Null(store.RefusalFor("A2"));
    }

    [Fact]
    public void The_hash_is_the_xor_of_each_jwts_sha256()
    {
        var store = new AccountJwtStore(new ResolverOptions(ResolverKind.Full) { Directory = _directory });
        Assert.Equal(new byte[32], store.Hash());
        Write("A1", "one");
        Write("A2", "two");
        var expected = SHA256.HashData("one"u8.ToArray()).Zip(SHA256.HashData(Encoding.UTF8.GetBytes("two")), (a, b) => (byte)(a ^ b)).ToArray();
        Assert.Equal(expected, store.Hash());
        Assert.Equal(new[] { "A1|one", "A2|two" }, store.Pack());
    }
}

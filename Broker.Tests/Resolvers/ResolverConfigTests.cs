using Broker.Configuration;
using Broker.NKeys;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Resolvers;

/// <summary>The <c>resolver</c>, <c>resolver_tls</c> and <c>resolver_pinned_accounts</c> keys, with nats-server's error texts, file and line.</summary>
public sealed class ResolverConfigTests : IDisposable
{
    private readonly OperatorSetup _setup = new();

    public void Dispose() => _setup.Dispose();

    private BrokerOptions Parse(string resolver, string extra = "") => BrokerConfigLoader.Parse(_setup.Config(resolver, extra), "test.conf", _setup.Directory);

    private ConfigurationException Refused(string resolver, string extra = "") =>
        Assert.Throws<ConfigurationException>(() => Parse(resolver, extra));

    [Fact]
    public void Url_resolver_takes_nats_servers_forms()
    {
        foreach (var text in new[] { ": URL(http://127.0.0.1:9090/jwt/v1/accounts/)", ": \"URL(\\\"http://127.0.0.1:9090/jwt/v1/accounts\\\")\"", ": url(http://127.0.0.1:9090/jwt/v1/accounts/)" })
        {
            var resolver = Parse(text).Operator!.Resolver;
            Assert.Equal(ResolverKind.Url, resolver.Kind);
            Assert.Equal("http://127.0.0.1:9090/jwt/v1/accounts/", resolver.Url);
            Assert.Equal(TimeSpan.FromMilliseconds(1900), resolver.Timeout);
        }
        Assert.Equal(ResolverKind.Memory, Parse(": MEM").Operator!.Resolver.Kind);
    }

    [Fact]
    public void Full_and_cache_blocks_read_every_setting_with_nats_servers_defaults()
    {
        var full = Parse("{ type: full, dir: jwt, allow_delete: true, interval: \"2m\", limit: 5, timeout: \"3s\" }").Operator!.Resolver;
        Assert.Equal(new ResolverOptions(ResolverKind.Full)
        {
            Directory = Path.Combine(_setup.Directory, "jwt"), AllowDelete = true, Interval = TimeSpan.FromMinutes(2), Limit = 5, Timeout = TimeSpan.FromSeconds(3),
        }, full);
        Assert.True(Directory.Exists(full.Directory), "the directory is created, as nats-server does");

        var fullDefaults = Parse("{ type: FULL, dir: jwt }").Operator!.Resolver;
        Assert.Equal((TimeSpan.FromMinutes(1), 0L, false), (fullDefaults.Interval, fullDefaults.Limit, fullDefaults.AllowDelete));

        var cache = Parse("{ type: cache, dir: cache, ttl: \"1h\" }").Operator!.Resolver;
        Assert.Equal((ResolverKind.Cache, 1000L, TimeSpan.FromHours(1)), (cache.Kind, cache.Limit, cache.Ttl));
    }

    [Theory]
    [InlineData("{ type: full }", "dir has no value and needs to point to a directory")]
    [InlineData("{ type: cache, dir: jwt, interval: \"1m\" }", "CACHE does not accept sync")]
    [InlineData("{ type: cache, dir: jwt, allow_delete: true }", "CACHE does not accept allow_delete")]
    [InlineData("{ type: full, dir: jwt, ttl: \"1m\" }", "FULL does not accept ttl")]
    [InlineData("{ type: other, dir: jwt }", "error parsing account resolver, should be MEM or  URL(\"url\") or a map containing dir and type state=[FULL|CACHE])")]
    [InlineData("{ dir: jwt }", "error parsing account resolver, should be MEM or  URL(\"url\") or a map containing dir and type state=[FULL|CACHE])")]
    [InlineData(": SOMETHING", "error parsing account resolver, should be MEM or  URL(\"url\") or a map containing dir and type state=[FULL|CACHE])")]
    [InlineData("{ type: full, dir: jwt, bogus: 1 }", "unknown resolver option")]
    [InlineData("{ type: full, dir: jwt, interval: \"soon\" }", "expected a duration like \"2m\", \"10s\", \"500ms\" or a number of seconds, got \"soon\"")]
    public void Bad_resolver_settings_are_refused_with_the_file_and_line(string resolver, string problem)
    {
        var error = Refused(resolver);
        Assert.Equal(problem, error.Problem);
        Assert.Equal("test.conf", error.SourceName);
        Assert.NotNull(error.Line);
        Assert.True(error.Line >= 3, $"line {error.Line}");
    }

    [Fact]
    public void A_nats_resolver_needs_a_system_account()
    {
        var config = $"operator: \"{_setup.OperatorJwt()}\"\nresolver {{ type: full, dir: jwt }}\n";
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(config, "test.conf", _setup.Directory));
        Assert.Equal("using nats based account resolver - the system account needs to be specified in configuration or the operator jwt", error.Problem);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Pinned_accounts_must_be_account_keys_and_always_include_the_system_account()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var pinned = Parse(": MEMORY", $"resolver_pinned_accounts: [{account.PublicKey}]").Operator!.PinnedAccounts!;
        Assert.Equal(new[] { account.PublicKey, _setup.System.PublicKey }.Order(), pinned.Order());

        var error = Refused(": MEMORY", "resolver_pinned_accounts: [\"ABC\"]");
        Assert.Equal("pinned account key \"ABC\" is not a valid public account nkey", error.Problem);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Resolver_tls_is_a_client_block_and_unknown_keys_are_refused()
    {
        var resolver = Parse(": URL(https://127.0.0.1:9090/jwt/v1/accounts/)", "resolver_tls { insecure: true }").Operator!.Resolver;
        Assert.True(resolver.Tls!.Insecure);
        Assert.Null(resolver.Tls.Certificate);

        var error = Refused(": URL(https://127.0.0.1:9090/jwt/v1/accounts/)", "resolver_tls { cert_file: \"a.pem\" }");
        Assert.Equal("resolver_tls needs both \"cert_file\" and \"key_file\", or neither", error.Problem);
        Assert.Equal("unknown resolver_tls option", Refused(": MEM", "resolver_tls { nope: 1 }").Problem);
    }

    [Fact]
    public void Resolver_settings_without_an_operator_are_refused()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse($"port: 4222\nresolver_pinned_accounts: [{account.PublicKey}]\n", "test.conf"));
        Assert.Equal("a resolver needs an \"operator\"", error.Problem);
    }
}

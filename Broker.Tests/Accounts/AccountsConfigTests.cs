using Broker.Configuration;

namespace Broker.Tests.Accounts;

public class AccountsConfigTests
{
    private const string Valid = """
        accounts {
          A {
            users: [ { user: a, password: pa } ]
            exports: [
              { stream: "pub.>" }
              { service: "svc.>", response_type: stream, response_threshold: "5s", latency: { sampling: "50%", subject: "lat.svc" } }
              { stream: "private.>", accounts: [B] }
            ]
          }
          B {
            users: [ { user: b, password: pb } ]
            imports: [
              { stream: { account: A, subject: "pub.>" }, prefix: from_a }
              { stream: { account: A, subject: "private.x" }, to: "mine.x" }
              { service: { account: A, subject: "svc.help" }, to: help }
            ]
          }
        }
        no_auth_user: b
        system_account: A
        """;

    [Fact]
    public void Reads_accounts_users_exports_and_imports()
    {
        var options = BrokerConfigLoader.Parse(Valid);

        Assert.Equal(["A", "B"], options.Accounts.Select(a => a.Name));
        var a = options.Accounts[0];
        Assert.Equal(new UserOptions("a", "pa", "A"), a.Users.Single());
        Assert.Equal(3, a.Exports.Count);
        var service = a.Exports[1];
        Assert.Equal(ExportKind.Service, service.Kind);
        Assert.Equal(ResponseType.Stream, service.ResponseType);
        Assert.Equal(TimeSpan.FromSeconds(5), service.ResponseThreshold);
        Assert.Equal(new LatencyOptions(50, "lat.svc"), service.Latency);
        Assert.Equal(["B"], a.Exports[2].Accounts!);
        var b = options.Accounts[1];
        Assert.Equal("from_a", b.Imports[0].Prefix);
        Assert.Equal("mine.x", b.Imports[1].To);
        Assert.Equal(new ImportOptions(ExportKind.Service, "A", "svc.help") { To = "help" }, b.Imports[2]);
        Assert.Equal("b", options.NoAuthUser);
        Assert.Equal("A", options.SystemAccount);
    }

    [Fact]
    public void Reads_permissions_in_their_long_and_short_forms()
    {
        var users = BrokerConfigLoader.Parse("""
            authorization { users: [
              { user: a, password: p, permissions: { publish: { allow: ["x.>"], deny: "x.y" }, subscribe: ["q.* workers"], allow_responses: { max: 3, expires: "5s" } } }
              { user: b, password: p, permissions: { pub: "only", allow_responses: true } }
            ] }
            """).Users;
        var a = users[0].Permissions!;
        Assert.Equal(["x.>"], a.Publish!.Allow!);
        Assert.Equal(["x.y"], a.Publish.Deny!);
        Assert.Equal(["q.* workers"], a.Subscribe!.Allow!);
        Assert.Null(a.Subscribe.Deny);
        Assert.Equal(new ResponsePermissionOptions(3, TimeSpan.FromSeconds(5)), a.AllowResponses);
        var b = users[1].Permissions!;
        Assert.Equal(["only"], b.Publish!.Allow!);
        Assert.Equal(ResponsePermissionOptions.Default, b.AllowResponses);
    }

    [Fact]
    public void Authorization_users_token_and_single_user_land_in_the_global_account()
    {
        const string hash = "$2a$10$LoRPzN3GtF2pNX5QgCBBHeUr6/zVN./RVGOu5U8SpHyg2sfzvfXji";
        var options = BrokerConfigLoader.Parse($"authorization {{ users: [ {{ user: x, password: \"{hash}\" }} ], timeout: 1s }}");
        Assert.Equal(new UserOptions("x", hash, "$G"), options.Users.Single());
        Assert.Equal(TimeSpan.FromSeconds(1), options.AuthTimeout);
        Assert.Equal("s3cr3t", BrokerConfigLoader.Parse("authorization { token: s3cr3t }").Token);
        Assert.Equal("u", BrokerConfigLoader.Parse("authorization { user: u, password: p }").Users.Single().Name);
    }

    [Theory]
    [InlineData("accounts { B { imports: [ { stream: { account: Z, subject: x } } ] } }", "accounts.B.imports", "stream import of \"x\" from account \"Z\": no such account")]
    [InlineData("accounts { A {}\n B { imports: [ { stream: { account: A, subject: x } } ] } }", "accounts.B.imports", "account \"A\" does not export it")]
    [InlineData("accounts { A { exports: [ { service: x } ] }\n B { imports: [ { stream: { account: A, subject: x } } ] } }", "accounts.B.imports", "does not export it")]
    [InlineData("accounts { A { exports: [ { stream: \"x.>\", accounts: [C] } ] }\n B { imports: [ { stream: { account: A, subject: x.y } } ] }\n C {} }", "accounts.B.imports", "not authorized, the export is private to [C]")]
    [InlineData("accounts { A { exports: [ { stream: x } ], imports: [ { stream: { account: A, subject: x } } ] } }", "accounts.A.imports", "an account cannot import from itself")]
    [InlineData("accounts { A { exports: [ { stream: \">\" } ], imports: [ { stream: { account: B, subject: \">\" } } ] }\n B { exports: [ { stream: \">\" } ], imports: [ { stream: { account: A, subject: \">\" } } ] } }", "imports", "stream import cycle")]
    [InlineData("accounts { A { users: [ { user: u, password: p } ] }\n B { users: [ { user: u, password: q } ] } }", "users", "duplicate user \"u\"")]
    [InlineData("no_auth_user: ghost", "no_auth_user", "no_auth_user \"ghost\" is not a configured user")]
    [InlineData("system_account: NOPE", "system_account", "system account \"NOPE\" is not a configured account")]
    [InlineData("accounts { A { exports: [ { stream: x, response_type: stream } ] } }", "accounts.A.exports", "\"response_type\" applies to service exports only")]
    [InlineData("accounts { A { exports: [ { service: x, response_type: often } ] } }", "accounts.A.exports", "unknown response type \"often\"")]
    [InlineData("accounts { A { exports: [ { service: x, latency: { sampling: \"0%\", subject: l } } ] } }", "accounts.A.exports", "latency sampling must be between 1% and 100%")]
    [InlineData("accounts { A { exports: [ { stream: x } ] }\n B { imports: [ { stream: { account: A, subject: x }, prefix: p, to: y } ] } }", "accounts.B.imports", "an import takes \"prefix\" or \"to\", not both")]
    [InlineData("accounts { A { exports: [ { stream: \"a.*\" } ] }\n B { imports: [ { stream: { account: A, subject: \"a.*\" }, to: \"b.*.*\" } ] } }", "accounts.B.imports", "must keep the wildcards")]
    [InlineData("accounts { A { users: [ { user: u } ] } }", "accounts.A.users", "user \"u\" needs \"password\"")]
    [InlineData("accounts { \"$G\" {} }", "accounts.$G", "global account")]
    [InlineData("accounts { A { mappings: {} } }", "accounts.A.mappings", "not supported yet")]
    [InlineData("authorization { token: t, users: [ { user: u, password: p } ] }", "authorization", "a token cannot be combined with users")]
    [InlineData("authorization { user: u }", "authorization", "needs both \"user\" and \"password\"")]
    [InlineData("authorization { users: [ { user: u, password: p, permissions: { publish: \"a..b\" } } ] }", "permissions.publish", "invalid permission subject \"a..b\"")]
    [InlineData("authorization { users: [ { user: u, password: p, permissions: { publish: \"a q\" } } ] }", "permissions.publish", "invalid permission subject \"a q\"")]
    [InlineData("authorization { users: [ { user: u, password: p, permissions: { listen: x } } ] }", "permissions.listen", "unknown permissions option")]
    [InlineData("authorization { users: [ { user: u, password: p, permissions: { allow_responses: { max: 0 } } } ] }", "allow_responses.max", "must be between 1")]
    public void Refuses_account_configurations_nats_server_would_not_run(string config, string keyPart, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(config));
        Assert.Contains(message, error.Message);
        Assert.Contains(keyPart, error.Key ?? "");
    }
}

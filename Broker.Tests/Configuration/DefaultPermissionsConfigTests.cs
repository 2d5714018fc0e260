using Broker.Configuration;
using Broker.NKeys;

namespace Broker.Tests.Configuration;

/// <summary>nats-server's <c>default_permissions</c> (in <c>authorization</c> and in an account) and <c>accounts.X.nkey</c>.</summary>
public class DefaultPermissionsConfigTests
{
    [Theory]
    [InlineData("default_permissions")]
    [InlineData("default_permission")]
    [InlineData("permissions")]
    public void Authorization_users_without_permissions_get_the_default_ones(string key)
    {
        var options = BrokerConfigLoader.Parse($$"""
            authorization {
              {{key}}: { subscribe: "PUBLIC.>" }
              users: [
                { user: alice, password: foo, permissions: { publish: ">" } }
                { user: susan, password: baz }
              ]
            }
            """);

        Assert.Equal([">"], options.Users.Single(u => u.Name == "alice").Permissions!.Publish!.Allow);
        Assert.Null(options.Users.Single(u => u.Name == "alice").Permissions!.Subscribe);
        Assert.Equal(["PUBLIC.>"], options.Users.Single(u => u.Name == "susan").Permissions!.Subscribe!.Allow);
    }

    [Fact]
    public void Account_users_without_permissions_get_the_account_defaults_and_no_others()
    {
        var options = BrokerConfigLoader.Parse("""
            accounts {
              A { default_permissions: { publish: "a.>" }, users: [ { user: a, password: p } ] }
              B { users: [ { user: b, password: p } ] }
            }
            """);

        Assert.Equal(["a.>"], options.Accounts.Single(a => a.Name == "A").Users.Single().Permissions!.Publish!.Allow);
        Assert.Null(options.Accounts.Single(a => a.Name == "B").Users.Single().Permissions);
    }

    [Fact]
    public void An_account_nkey_is_kept_when_it_is_an_account_public_key()
    {
        var key = NKeyPair.Create(NKeyType.Account).PublicKey;
        Assert.Equal(key, BrokerConfigLoader.Parse($"accounts {{ A {{ nkey: {key} }} }}").Accounts.Single().Nkey);

        var user = NKeyPair.Create(NKeyType.User).PublicKey;
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse($"accounts {{\n  A {{ nkey: {user} }}\n}}"));
        Assert.Equal(("accounts.A.nkey", 2), (error.Key, error.Line));
    }

    [Fact]
    public void A_user_without_a_password_needs_certificates_that_name_it()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("authorization {\n  users: [\n    { user: derek }\n  ]\n}"));
        Assert.Contains("needs \"password\"", error.Problem);
        Assert.Equal(("authorization.users", 2), (error.Key, error.Line));
    }
}

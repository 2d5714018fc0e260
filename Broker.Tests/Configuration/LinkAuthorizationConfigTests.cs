using Broker.Configuration;
using Broker.Host;
using Broker.Security;

namespace Broker.Tests.Configuration;

/// <summary><c>cluster.authorization</c>, <c>gateway.authorization</c>, credentials in route and gateway URLs and in the flags.</summary>
public class LinkAuthorizationConfigTests
{
    [Fact]
    public void Cluster_authorization_and_route_credentials_are_read()
    {
        var options = BrokerConfigLoader.Parse("""
            cluster {
              listen: "127.0.0.1:6222"
              routes: [ "nats-route://127.0.0.1:6223", "nats-route://ruser:p%40ss@127.0.0.1:6224" ]
              authorization { user: ruser, password: "p@ss", timeout: 3 }
            }
            """);

        var cluster = options.Cluster!;
        Assert.Equal(new LinkAuthorization { User = "ruser", Password = "p@ss", Timeout = TimeSpan.FromSeconds(3) }, cluster.Authorization);
        Assert.Equal(new LinkCredentials("ruser", "p@ss"), cluster.RouteCredentials);
        Assert.Equal([new ClusterEndpoint("127.0.0.1", 6223), new ClusterEndpoint("127.0.0.1", 6224)], cluster.Routes);
        Assert.True(LinkAuthentication.Admits(cluster.Authorization, cluster.Credentials));
    }

    [Fact]
    public void Without_route_credentials_a_node_presents_its_own_authorization()
    {
        var cluster = BrokerConfigLoader.Parse("""cluster { listen: "127.0.0.1:6222", authorization { token: "t0k" } }""").Cluster!;

        Assert.Equal(new LinkCredentials("t0k", null), cluster.Credentials);
        Assert.True(LinkAuthentication.Admits(cluster.Authorization, new LinkCredentials("t0k", null)));
        Assert.False(LinkAuthentication.Admits(cluster.Authorization, new LinkCredentials("t0k", "")));
        Assert.False(LinkAuthentication.Admits(cluster.Authorization, null));
    }

    [Fact]
    public void Gateway_authorization_and_url_credentials_are_read()
    {
        var gateway = BrokerConfigLoader.Parse("""
            gateway {
              name: east
              listen: "127.0.0.1:7222"
              authorization { user: gw, password: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy" }
              gateways: [ { name: west, urls: [ "nats://wuser:wpass@10.0.0.2:7222", "nats://10.0.0.3:7222" ] }, { name: south, url: "nats://10.0.0.4:7222" } ]
            }
            """).Gateway!;

        Assert.Equal("gw", gateway.Authorization!.User);
        Assert.Equal(new LinkCredentials("wuser", "wpass"), gateway.CredentialsFor(gateway.Remotes[0]));
        // No credentials in its URL: the gateway's own user (its bcrypt hash is what it would send: a peer with the same hash would refuse it).
        Assert.Equal("gw", gateway.CredentialsFor(gateway.Remotes[1])!.User);
    }

    [Fact]
    public void Gateway_authorization_checks_bcrypt_passwords()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("s3cr3t", 4);
        var required = new LinkAuthorization { User = "gw", Password = hash };

        Assert.True(LinkAuthentication.Admits(required, new LinkCredentials("gw", "s3cr3t")));
        Assert.False(LinkAuthentication.Admits(required, new LinkCredentials("gw", "wrong")));
        Assert.False(LinkAuthentication.Admits(required, new LinkCredentials("other", "s3cr3t")));
    }

    [Theory]
    [InlineData("cluster { listen: \"a:1\", authorization { user: u } }", "cluster.authorization", "needs \"user\" and \"password\", or \"token\"")]
    [InlineData("cluster { listen: \"a:1\", authorization { token: t, user: u, password: p } }", "cluster.authorization", "can not have a token and a user")]
    [InlineData("cluster { listen: \"a:1\", authorization { users: [] } }", "cluster.authorization.users", "not supported yet")]
    [InlineData("cluster { listen: \"a:1\", authorization { bogus: 1 } }", "cluster.authorization.bogus", "unknown authorization option")]
    [InlineData("gateway { name: a, listen: \"a:1\", authorization { token: t, timeout: \"x\" } }", "gateway.authorization.timeout", "expected a duration")]
    public void Bad_link_authorization_is_refused_with_the_key(string text, string key, string problem)
    {
        var e = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text));
        Assert.Equal(key, e.Key);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void The_flags_carry_credentials_as_nats_server_reads_them()
    {
        var line = CommandLine.Parse(["--cluster", "nats-route://cu:cp@127.0.0.1:6222", "--routes", "nats-route://127.0.0.1:6223,nats-route://ru:rp@127.0.0.1:6224"]);

        var cluster = line.ApplyTo(new BrokerOptions()).Cluster!;

        Assert.Equal(new ClusterEndpoint("127.0.0.1", 6222), cluster.Listen);
        Assert.Equal("cu", cluster.Authorization!.User);
        Assert.Equal("cp", cluster.Authorization.Password);
        Assert.Equal(new LinkCredentials("ru", "rp"), cluster.Credentials);
    }

    [Fact]
    public void The_flags_keep_the_files_cluster_authorization()
    {
        var file = BrokerConfigLoader.Parse("""cluster { listen: "127.0.0.1:6222", authorization { user: u, password: p } }""");

        var cluster = CommandLine.Parse(["--routes", "nats-route://127.0.0.1:6223"]).ApplyTo(file).Cluster!;

        Assert.Equal("u", cluster.Authorization!.User);
        Assert.Equal(new LinkCredentials("u", "p"), cluster.Credentials);
    }

    [Fact]
    public void Credentials_never_show_in_text()
    {
        Assert.DoesNotContain("secret", new LinkCredentials("u", "secret").ToString());
        Assert.DoesNotContain("secret", new LinkAuthorization { User = "u", Password = "secret" }.ToString());
        Assert.DoesNotContain("secret", new LinkAuthorization { Token = "secret" }.ToString());
    }

    [Fact]
    public void A_cluster_proof_needs_the_same_credentials_and_names_both_nodes()
    {
        var required = new LinkAuthorization { User = "u", Password = "p" };
        var nonce = LinkAuthentication.NewNonce();
        var proof = LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("u", "p"), ""), nonce, "a", "b");

        Assert.True(LinkAuthentication.Verifies(required, proof, nonce, "a", "b"));
        Assert.False(LinkAuthentication.Verifies(required, proof, nonce, "c", "b"));
        Assert.False(LinkAuthentication.Verifies(required, proof, LinkAuthentication.NewNonce(), "a", "b"));
        Assert.False(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("u", "q"), ""), nonce, "a", "b"), nonce, "a", "b"));
        Assert.False(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(null, ""), nonce, "a", "b"), nonce, "a", "b"));
    }

    [Fact]
    public void A_cluster_authorization_may_hold_a_bcrypt_hash_and_a_node_proves_it_with_the_password_or_the_same_hash()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("bar", 6);
        var required = new LinkAuthorization { User = "ruser", Password = hash };
        var salt = LinkAuthentication.SaltOf(required);
        var nonce = LinkAuthentication.NewNonce();
        Assert.Equal(hash[..29], salt);

        Assert.True(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("ruser", "bar"), salt), nonce, "a", "b"), nonce, "a", "b"));
        Assert.True(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("ruser", hash), salt), nonce, "a", "b"), nonce, "a", "b"));
        Assert.False(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("ruser", "baz"), salt), nonce, "a", "b"), nonce, "a", "b"));
        Assert.False(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("other", "bar"), salt), nonce, "a", "b"), nonce, "a", "b"));
        // Without the salt the clear password proves nothing: the key is the hash's.
        Assert.False(LinkAuthentication.Verifies(required, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("ruser", "bar"), ""), nonce, "a", "b"), nonce, "a", "b"));
        // A bcrypt token too.
        var token = new LinkAuthorization { Token = BCrypt.Net.BCrypt.HashPassword("t0k", 6) };
        Assert.True(LinkAuthentication.Verifies(token, LinkAuthentication.Prove(LinkAuthentication.Key(new LinkCredentials("t0k", null), LinkAuthentication.SaltOf(token)), nonce, "a", "b"), nonce, "a", "b"));
    }

    [Fact]
    public void A_seal_needs_the_credentials_and_names_sender_and_receiver()
    {
        var required = new LinkAuthorization { User = "u", Password = "p" };
        var key = LinkAuthentication.VerifierKey(required);
        var seal = LinkAuthentication.Seal(LinkAuthentication.Key(new LinkCredentials("u", "p"), ""), "a", "b");

        Assert.Equal(LinkAuthentication.Seal(key, "a", "b"), seal);
        Assert.NotEqual(LinkAuthentication.Seal(key, "c", "b"), seal);
        Assert.NotEqual(LinkAuthentication.Seal(key, "b", "a"), seal);
        Assert.NotEqual(LinkAuthentication.Seal(LinkAuthentication.Key(new LinkCredentials("u", "q"), ""), "a", "b"), seal);
    }

    [Fact]
    public void A_bcrypt_hash_in_cluster_authorization_loads()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword("bar", 4);
        var options = BrokerConfigLoader.Parse($"cluster {{ listen: \"127.0.0.1:7244\", authorization {{ user: ruser, password: \"{hash}\" }} }}");

        Assert.Equal(hash, options.Cluster!.Authorization!.Password);
    }

    [Fact]
    public void A_gateway_may_have_a_user_per_region_and_dials_with_its_own()
    {
        var gateway = BrokerConfigLoader.Parse($$"""
            gateway {
              name: east
              listen: "127.0.0.1:7222"
              authorization { users: [ { user: east, password: e1 }, { user: west, password: "{{BCrypt.Net.BCrypt.HashPassword("w1", 4)}}" } ] }
              gateways: [ { name: west, url: "nats://127.0.0.1:7223" } ]
            }
            """).Gateway!;

        Assert.Equal(new LinkCredentials("east", "e1"), gateway.CredentialsFor(gateway.Remotes[0]));
        Assert.True(LinkAuthentication.Admits(gateway.Authorization, new LinkCredentials("west", "w1")));
        Assert.False(LinkAuthentication.Admits(gateway.Authorization, new LinkCredentials("west", "e1")));
        Assert.False(LinkAuthentication.Admits(gateway.Authorization, new LinkCredentials("south", "w1")));
    }

    [Theory]
    [InlineData("gateway { name: e, listen: \"127.0.0.1:1\", authorization { user: u, password: p, users: [ { user: e, password: p } ] } }", "gateway.authorization", "can not have users and a single user or token")]
    [InlineData("gateway { name: e, listen: \"127.0.0.1:1\", authorization { users: [ { user: e } ] } }", "gateway.authorization.users", "needs")]
    [InlineData("gateway { name: e, listen: \"127.0.0.1:1\", authorization { users: [ { user: e, password: p, account: A } ] } }", "gateway.authorization.users.account", "unknown option")]
    [InlineData("cluster { listen: \"127.0.0.1:1\", authorization { users: [ { user: e, password: p } ] } }", "cluster.authorization.users", "not supported")]
    public void Bad_region_users_are_refused_with_the_key(string text, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text));

        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Problem);
    }
}

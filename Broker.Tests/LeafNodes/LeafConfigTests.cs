using Broker.Configuration;

namespace Broker.Tests.LeafNodes;

/// <summary>nats-server's <c>leafnodes</c> block read into options, remotes included.</summary>
public sealed class LeafConfigTests
{
    [Fact]
    public void Listen_authorization_reconnect_and_remotes_are_read()
    {
        var options = BrokerConfigLoader.Parse("""
            leafnodes {
              listen: "127.0.0.1:7422"
              reconnect: 3
              authorization { user: leaf, password: secret, timeout: 1 }
              remotes: [
                { url: "nats://u:p@h1:7422", deny_imports: ["x.>"], deny_exports: "y" }
                { urls: ["h2:7422", "nats://h3:7423"] }
              ]
            }
            """);
        var leaf = options.LeafNodes!;
        Assert.True(leaf.Listens);
        Assert.Equal(("127.0.0.1", 7422), (leaf.Host, leaf.Port));
        Assert.Equal(("leaf", "secret"), (leaf.User, leaf.Password));
        Assert.Equal(TimeSpan.FromSeconds(1), leaf.AuthTimeout);
        Assert.Equal(2, leaf.Remotes.Count);
        Assert.Equal("u:p", leaf.Remotes[0].Urls[0].UserInfo);
        Assert.Equal(["x.>"], leaf.Remotes[0].DenyImports);
        Assert.Equal(["y"], leaf.Remotes[0].DenyExports);
        Assert.Equal("$G", leaf.Remotes[0].LocalAccount);
        Assert.Equal(TimeSpan.FromSeconds(3), leaf.Remotes[1].ReconnectBase);
        Assert.Equal([("h2", 7422), ("h3", 7423)], leaf.Remotes[1].Urls.Select(u => (u.Host, u.Port)));
    }

    [Fact]
    public void A_block_with_only_remotes_opens_no_port()
    {
        var options = BrokerConfigLoader.Parse("leafnodes { remotes: [ { url: \"nats://hub:7422\" } ] }");
        Assert.False(options.LeafNodes!.Listens);
    }

    [Fact]
    public void A_remote_bound_to_an_unknown_account_is_refused_with_its_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("leafnodes { remotes: [ { url: \"nats://hub:7422\", account: NOPE } ] }"));
        Assert.Contains("NOPE", error.Message);
    }

    [Fact]
    public void A_remote_with_hub_true_makes_this_server_the_hub_of_that_link()
    {
        var options = BrokerConfigLoader.Parse("leafnodes { remotes: [ { url: \"nats://a:7422\", hub: true }, { url: \"nats://b:7422\" } ] }");
        Assert.Equal([true, false], options.LeafNodes!.Remotes.Select(r => r.Hub));
    }
}

using Broker.Configuration;
using NATS.Client.Core;

namespace Broker.Tests.Cluster;

/// <summary>
/// Two accounts for tests across nodes and regions: A exports a service (<c>svc.&gt;</c>) and a
/// stream (<c>news.&gt;</c>), B imports both; user <c>a</c> is in A, <c>b</c> in B (password = name).
/// </summary>
public static class ExportingAccounts
{
    public const string Config = """
        accounts {
          A {
            users: [ { user: a, password: a } ]
            exports: [ { service: "svc.>" }, { stream: "news.>" } ]
          }
          B {
            users: [ { user: b, password: b } ]
            imports: [ { service: { account: A, subject: "svc.>" } }, { stream: { account: A, subject: "news.>" } } ]
          }
        }
        """;

    public static BrokerOptions Apply(BrokerOptions options) => options with { Accounts = BrokerConfigLoader.Parse(Config).Accounts };

    /// <summary>Connects as <paramref name="user"/>.</summary>
    public static Func<NatsOpts, NatsOpts> As(string user) =>
        o => o with { AuthOpts = new NatsAuthOpts { Username = user, Password = user } };
}

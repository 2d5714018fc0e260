using System.Diagnostics;
using Broker.Configuration;
using Broker.Tests.Differential;

namespace Broker.Tests.Configuration.NatsServerCorpus;

/// <summary>Real nats-server configuration files (see README.md here): each one nats-server accepts loads in Broker, or names the option Broker lacks.</summary>
public class NatsServerCorpusTests
{
    public static TheoryData<string> AcceptedByNatsServer() =>
    [
        "server_configs_cluster.conf",
        "server_configs_listen_port_with_colon.conf",
        "server_configs_multiple_users.conf",
        "server_configs_single_user_authentication.conf",
        "server_configs_srv_a_bcrypt.conf",
        "server_configs_test.conf",
        "server_configs_token_authentication.conf",
        "test_configs_cluster.conf",
        "test_configs_multi_accounts.conf",
        "test_configs_new_cluster.conf",
        "test_configs_override.conf",
        "test_configs_srv_a.conf",
    ];

    public static TheoryData<string> RefusedByNatsServer() =>
    [
        "server_configs_accounts.conf",
        "test_configs_authorization.conf",
    ];

    [Theory]
    [MemberData(nameof(AcceptedByNatsServer))]
    public void A_file_nats_server_accepts_loads_or_names_what_is_missing(string name)
    {
        try
        {
            BrokerConfigLoader.LoadFile(PathOf(name));
        }
        catch (ConfigurationException e)
        {
            Assert.True(e.Problem.Contains("not supported yet"), $"{name}: {e.Message}");
            Assert.NotNull(e.Key);
            Assert.NotNull(e.Line);
        }
    }

    [Theory]
    [MemberData(nameof(RefusedByNatsServer))]
    public void A_file_nats_server_refuses_is_refused(string name) =>
        Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.LoadFile(PathOf(name)));

    [Fact]
    public void The_plain_files_load_with_nats_server_meanings()
    {
        var overrides = BrokerConfigLoader.LoadFile(PathOf("test_configs_override.conf"));
        Assert.Equal(("127.0.0.1", 5224, 2222), (overrides.Host, overrides.Port, overrides.MaxPayload));

        var cluster = BrokerConfigLoader.LoadFile(PathOf("test_configs_new_cluster.conf"));
        Assert.Equal(5344, cluster.Cluster!.Listen.Port);
        Assert.Equal([5345, 5346], cluster.Cluster.Routes.Select(r => r.Port));

        var multi = BrokerConfigLoader.LoadFile(PathOf("test_configs_multi_accounts.conf"));
        Assert.Equal(4033, multi.Port);
        Assert.Equal(8033, multi.HttpPort);
        Assert.True(multi.NoSystemAccount);
        Assert.All(multi.Accounts.SelectMany(a => a.Users), u => Assert.Equal("s3cr3t!", u.Password));

        var users = BrokerConfigLoader.LoadFile(PathOf("server_configs_multiple_users.conf"));
        Assert.Equal(["foo", "bar"], users.Users.Select(u => u.Password));
        Assert.Equal(TimeSpan.FromSeconds(0.5), users.AuthTimeout);

        var colon = BrokerConfigLoader.LoadFile(PathOf("server_configs_listen_port_with_colon.conf"));
        Assert.Equal(("0.0.0.0", 8922), (colon.Host, colon.Port));

        var single = BrokerConfigLoader.LoadFile(PathOf("server_configs_single_user_authentication.conf"));
        Assert.Equal(("tyler", "T0pS3cr3t"), (single.Users.Single().Name, single.Users.Single().Password));

        var token = BrokerConfigLoader.LoadFile(PathOf("server_configs_token_authentication.conf"));
        Assert.Equal(("localhost", "T0pS3cr3t"), (token.Host, token.Token));
    }

    [NatsServerFact]
    public void Nats_server_gives_the_recorded_verdicts()
    {
        foreach (var name in AcceptedByNatsServer()) Assert.True(NatsServerTest(name) == 0, $"nats-server -t refused {name}");
        foreach (var name in RefusedByNatsServer()) Assert.True(NatsServerTest(name) != 0, $"nats-server -t accepted {name}");
    }

    private static int NatsServerTest(string name)
    {
        using var process = Process.Start(new ProcessStartInfo(NatsServerProcess.ExecutablePath!, ["-t", "-c", PathOf(name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(PathOf(name))!,
        })!;
        process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string PathOf(string name) =>
        Path.Combine(BrokerConfigLoaderTests.RepositoryRoot(), "Broker.Tests", "Configuration", "NatsServerCorpus", name);
}

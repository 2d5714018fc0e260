using System.Diagnostics;
using Broker.Configuration;
using Broker.Tests.Differential;

namespace Broker.Tests.Configuration.NatsServerCorpus;

/// <summary>Real nats-server configuration files (see README.md here): each one nats-server accepts loads in Broker, or names the option Broker lacks.</summary>
public class NatsServerCorpusTests
{
    /// <summary>Every file of the corpus nats-server 2.9.10 accepts with <c>-t</c> (run from the folder its own tests run in).</summary>
    public static TheoryData<string> AcceptedByNatsServer() =>
    [
        "conf/simple.conf",
        "docker/nats-server.conf",
        "server/configs/authorization.conf",
        "server/configs/basic.conf",
        "server/configs/cluster.conf",
        "server/configs/gwa.conf",
        "server/configs/gwb.conf",
        "server/configs/include_conf_check_a.conf",
        "server/configs/include_conf_check_c.conf",
        "server/configs/listen-1.conf",
        "server/configs/listen.conf",
        "server/configs/listen_port.conf",
        "server/configs/listen_port_with_colon.conf",
        "server/configs/multiple_users.conf",
        "server/configs/new_style_authorization.conf",
        "server/configs/reload/authorization_1.conf",
        "server/configs/reload/authorization_2.conf",
        "server/configs/reload/basic.conf",
        "server/configs/reload/file_rotate.conf",
        "server/configs/reload/max_connections.conf",
        "server/configs/reload/max_payload.conf",
        "server/configs/reload/multiple_users_1.conf",
        "server/configs/reload/multiple_users_2.conf",
        "server/configs/reload/reload.conf",
        "server/configs/reload/reload_unsupported.conf",
        "server/configs/reload/single_user_authentication_1.conf",
        "server/configs/reload/single_user_authentication_2.conf",
        "server/configs/reload/srv_a_1.conf",
        "server/configs/reload/srv_a_2.conf",
        "server/configs/reload/srv_a_3.conf",
        "server/configs/reload/srv_a_4.conf",
        "server/configs/reload/srv_b_1.conf",
        "server/configs/reload/srv_b_2.conf",
        "server/configs/reload/srv_c_1.conf",
        "server/configs/reload/test.conf",
        "server/configs/reload/tls_test.conf",
        "server/configs/reload/token_authentication_1.conf",
        "server/configs/reload/token_authentication_2.conf",
        "server/configs/seed.conf",
        "server/configs/seed_tls.conf",
        "server/configs/single_user_authentication.conf",
        "server/configs/srv_a.conf",
        "server/configs/srv_a_bcrypt.conf",
        "server/configs/srv_b.conf",
        "server/configs/srv_b_bcrypt.conf",
        "server/configs/test.conf",
        "server/configs/tls.conf",
        "server/configs/tls_ciphers.conf",
        "server/configs/tls_curve_prefs.conf",
        "server/configs/tls_test.conf",
        "server/configs/tls_verify_test.conf",
        "server/configs/token_authentication.conf",
        "test/configs/auth_seed.conf",
        "test/configs/cluster.conf",
        "test/configs/multi_accounts.conf",
        "test/configs/multi_user.conf",
        "test/configs/new_cluster.conf",
        "test/configs/override.conf",
        "test/configs/seed.conf",
        "test/configs/srv_a.conf",
        "test/configs/srv_a_perms.conf",
        "test/configs/srv_a_tls.conf",
        "test/configs/srv_a_tls_verify_false.conf",
        "test/configs/srv_b.conf",
        "test/configs/srv_b_tls.conf",
        "test/configs/srv_c.conf",
        "test/configs/tls.conf",
        "test/configs/tls_cert_cn.conf",
        "test/configs/tls_cert_cn_gateways.conf",
        "test/configs/tls_cert_cn_gateways_invalid_auth.conf",
        "test/configs/tls_cert_cn_routes.conf",
        "test/configs/tls_cert_cn_routes_invalid_auth.conf",
        "test/configs/tls_cert_id.conf",
        "test/configs/tls_cert_san_auth.conf",
        "test/configs/tls_cert_san_emails.conf",
        "test/configs/tls_curve_pref.conf",
        "test/configs/tls_mixed.conf",
        "test/configs/tlsverify.conf",
        "test/configs/tlsverify_noca.conf",
    ];

    /// <summary>The files nats-server 2.9.10 refuses with <c>-t</c> (see README.md here for why).</summary>
    public static TheoryData<string> RefusedByNatsServer() =>
    [
        "server/configs/accounts.conf",
        "server/configs/malformed_cluster_address.conf",
        "server/configs/malformed_listen_address.conf",
        "server/configs/multiple_errors.conf",
        "server/configs/tls_bad_cipher.conf",
        "server/configs/tls_bad_curve_prefs.conf",
        "server/configs/tls_empty_cipher.conf",
        "server/configs/tls_empty_curve_prefs.conf",
        "test/configs/authorization.conf",
        "test/configs/dynamic_user.conf",
        "test/configs/tlsverify_multipleca.conf",
    ];

    [Theory]
    [MemberData(nameof(AcceptedByNatsServer))]
    public void A_file_nats_server_accepts_loads_or_names_what_is_missing(string name)
    {
        try
        {
            Load(name);
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
        Assert.Throws<ConfigurationException>(() => Load(name));

    [Fact]
    public void The_plain_files_load_with_nats_server_meanings()
    {
        var overrides = Load("test/configs/override.conf");
        Assert.Equal(("127.0.0.1", 5224, 2222), (overrides.Host, overrides.Port, overrides.MaxPayload));

        var cluster = Load("test/configs/new_cluster.conf");
        Assert.Equal(5344, cluster.Cluster!.Listen.Port);
        Assert.Equal([5345, 5346], cluster.Cluster.Routes.Select(r => r.Port));

        var multi = Load("test/configs/multi_accounts.conf");
        Assert.Equal(4033, multi.Port);
        Assert.Equal(8033, multi.HttpPort);
        Assert.True(multi.NoSystemAccount);
        Assert.All(multi.Accounts.SelectMany(a => a.Users), u => Assert.Equal("s3cr3t!", u.Password));

        var users = Load("server/configs/multiple_users.conf");
        Assert.Equal(["foo", "bar"], users.Users.Select(u => u.Password));
        Assert.Equal(TimeSpan.FromSeconds(0.5), users.AuthTimeout);

        var colon = Load("server/configs/listen_port_with_colon.conf");
        Assert.Equal(("0.0.0.0", 8922), (colon.Host, colon.Port));

        var single = Load("server/configs/single_user_authentication.conf");
        Assert.Equal(("tyler", "T0pS3cr3t"), (single.Users.Single().Name, single.Users.Single().Password));

        var token = Load("server/configs/token_authentication.conf");
        Assert.Equal(("localhost", "T0pS3cr3t"), (token.Host, token.Token));

        // Users from an included file, their bcrypt passwords from variables of a file it includes.
        var simple = Load("conf/simple.conf");
        Assert.Equal(["alice", "bob"], simple.Users.Select(u => u.Name));
        Assert.All(simple.Users, u => Assert.StartsWith("$2a$1", u.Password));
        Assert.Equal(TimeSpan.FromSeconds(0.5), simple.AuthTimeout);

        // default_permissions go to the users without their own; $variables name permission blocks.
        var roles = Load("server/configs/authorization.conf");
        var susan = roles.Users.Single(u => u.Name == "susan");
        Assert.Equal(["PUBLIC.>"], susan.Permissions!.Subscribe!.Allow);
        Assert.Equal(["req.foo", "req.bar"], roles.Users.Single(u => u.Name == "bob").Permissions!.Publish!.Allow);

        // Certificate paths from the working directory; users named by their certificates need no password.
        var mapped = Load("test/configs/tls_cert_cn.conf");
        Assert.True(mapped.Tls!.VerifyAndMap);
        Assert.Equal(["public.>"], mapped.Users.Single(u => u.Name == "CN=example.com,OU=NATS.io").Permissions!.Publish!.Allow);
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
            WorkingDirectory = WorkingDirectoryOf(name),
        })!;
        process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Loads a corpus file as Broker.Host would when started in the folder nats-server's tests run in.</summary>
    internal static BrokerOptions Load(string name) => BrokerConfigLoader.LoadFile(PathOf(name), WorkingDirectoryOf(name));

    internal static string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>
    /// nats-server's tests run in the repository's <c>server/</c> or <c>test/</c> folder, and nats-server
    /// reads a relative certificate path from its working directory, so the files name <c>./configs/certs/...</c>.
    /// </summary>
    internal static string WorkingDirectoryOf(string name) => name.Split('/')[0] switch
    {
        "server" => Path.Combine(Root, "server"),
        "test" => Path.Combine(Root, "test"),
        _ => Path.GetDirectoryName(PathOf(name))!,
    };

    private static string Root => Path.Combine(BrokerConfigLoaderTests.RepositoryRoot(), "Broker.Tests", "Configuration", "NatsServerCorpus");
}

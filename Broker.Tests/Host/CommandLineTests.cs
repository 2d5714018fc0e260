using Broker.Configuration;
using Broker.Host;

namespace Broker.Tests.Host;

public class CommandLineTests
{
    [Fact]
    public void Flags_mirror_nats_server_and_override_the_file()
    {
        var line = CommandLine.Parse(["-c", "x.conf", "-p", "5000", "-a", "127.0.0.1", "-n", "edge", "-DV"]);
        var file = new BrokerOptions { Port = 1, Host = "0.0.0.0", ServerName = "file", Logtime = false };

        var options = line.ApplyTo(file);

        Assert.Equal("x.conf", line.ConfigFile);
        Assert.Equal(5000, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal("edge", options.ServerName);
        Assert.True(options.Debug);
        Assert.True(options.Trace);
        Assert.False(options.Logtime);
    }

    [Fact]
    public void Pid_log_signal_and_credentials_flags_as_in_nats_server()
    {
        var line = CommandLine.Parse(["-P", "/tmp/b.pid", "--log=/tmp/b.log", "-sl", "reload=/tmp/b.pid", "--user", "derek", "--pass", "s3", "--auth", "tok", "--log_size_limit", "1000", "--max_traced_msg_len", "64"]);
        var options = line.ApplyTo(new BrokerOptions { Users = [new UserOptions("derek", "old", "$G"), new UserOptions("other", "x", "$G")] });

        Assert.Equal("reload=/tmp/b.pid", line.Signal);
        Assert.Equal(("/tmp/b.pid", "/tmp/b.log", 1000L, 64), (options.PidFile, options.LogFile, options.LogSizeLimit, options.MaxTracedMsgLen));
        Assert.Equal("tok", options.Token);
        Assert.Equal(["other:x", "derek:s3"], options.Users.Select(u => $"{u.Name}:{u.Password}"));
        Assert.Equal("/tmp/p2", CommandLine.Parse(["--pid", "/tmp/p2"]).PidFile);
        Assert.Equal("/tmp/l2", CommandLine.Parse(["-l", "/tmp/l2"]).LogFile);
        Assert.Equal("stop", CommandLine.Parse(["--signal", "stop"]).Signal);
    }

    [Theory]
    [InlineData("-js")]
    [InlineData("--connect_retries")]
    [InlineData("-ms")]
    [InlineData("-sd")]
    [InlineData("--client_advertise")]
    [InlineData("-r")]
    public void Nats_server_flags_this_broker_lacks_are_refused_by_name(string flag)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse([flag, "x"]));
        Assert.Equal($"-{flag.TrimStart('-')}: not supported yet", error.Message);
    }

    [Theory]
    [InlineData("--config", "a.conf")]
    [InlineData("-config", "a.conf")]
    [InlineData("--config=a.conf")]
    [InlineData("-c=a.conf")]
    public void Config_forms(params string[] args) => Assert.Equal("a.conf", CommandLine.Parse(args).ConfigFile);

    [Theory]
    [InlineData(6000, "--port=6000")]
    [InlineData(7000, "--port", "7000")]
    [InlineData(-1, "-p", "-1")]
    [InlineData(0, "-port", "0")]
    public void Port_forms(int port, params string[] args) => Assert.Equal(port, CommandLine.Parse(args).Port);

    [Theory]
    [InlineData("-a")]
    [InlineData("--addr")]
    [InlineData("--net")]
    [InlineData("-net")]
    public void Host_forms(string flag) => Assert.Equal("10.1.1.1", CommandLine.Parse([flag, "10.1.1.1"]).Host);

    [Theory]
    [InlineData("-n")]
    [InlineData("--name")]
    [InlineData("--server_name")]
    public void Name_forms(string flag) => Assert.Equal("n1", CommandLine.Parse([flag, "n1"]).ServerName);

    [Theory]
    [InlineData(8222, "-m", "8222")]
    [InlineData(8223, "--http_port=8223")]
    [InlineData(-1, "-http_port", "-1")]
    public void Monitor_port_forms(int port, params string[] args)
    {
        var options = CommandLine.Parse(args).ApplyTo(new BrokerOptions { HttpPort = 1 });
        Assert.Equal(port, options.HttpPort);
    }

    [Fact]
    public void Without_m_the_file_monitor_port_stays() =>
        Assert.Equal(8000, CommandLine.Parse([]).ApplyTo(new BrokerOptions { HttpPort = 8000 }).HttpPort);

    [Theory]
    [InlineData("-D", true, null)]
    [InlineData("--debug", true, null)]
    [InlineData("-V", null, true)]
    [InlineData("--trace", null, true)]
    [InlineData("-VV", null, true)]
    [InlineData("-DV", true, true)]
    [InlineData("-DVV", true, true)]
    [InlineData("-D=false", false, null)]
    [InlineData("--trace=0", null, false)]
    public void Logging_switches(string flag, bool? debug, bool? trace)
    {
        var line = CommandLine.Parse([flag]);
        Assert.Equal(debug, line.Debug);
        Assert.Equal(trace, line.Trace);
    }

    [Fact]
    public void A_switch_set_to_false_overrides_the_file()
    {
        var file = new BrokerOptions { Debug = true, Logtime = true };
        var options = CommandLine.Parse(["-D=false", "-T=false"]).ApplyTo(file);

        Assert.False(options.Debug);
        Assert.False(options.Logtime);
    }

    [Fact]
    public void Without_flags_the_file_values_stay()
    {
        var file = new BrokerOptions { Port = 1234, Debug = true, Trace = true, Logtime = false, Host = "h", ServerName = "s" };
        Assert.Equal(file, CommandLine.Parse([]).ApplyTo(file));
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("-help")]
    public void Help(string flag) => Assert.True(CommandLine.Parse([flag]).ShowHelp);

    [Theory]
    [InlineData("-v")]
    [InlineData("--version")]
    public void Version(string flag) => Assert.True(CommandLine.Parse([flag]).ShowVersion);

    [Fact]
    public void Test_config() => Assert.True(CommandLine.Parse(["-t", "-c", "a.conf"]).TestConfig);

    [Theory]
    [InlineData("flag provided but not defined: -bogus", "--bogus")]
    [InlineData("flag provided but not defined: -x", "-x")]
    [InlineData("flag needs an argument: -p", "-p")]
    [InlineData("flag needs an argument: -c", "--config")]
    [InlineData("invalid value \"abc\" for flag -p: parse error", "-p", "abc")]
    [InlineData("invalid value \"70000\" for flag -p", "-p", "70000")]
    [InlineData("invalid boolean value \"maybe\" for flag -D", "-D=maybe")]
    [InlineData("-ms: not supported yet", "-ms", "8222")]
    [InlineData("-https_port: not supported yet", "--https_port", "8222")]
    [InlineData("invalid value \"x\" for flag -m: parse error", "-m", "x")]
    [InlineData("-connect_retries: not supported yet", "--connect_retries", "3")]
    [InlineData("-js: not supported yet", "-js")]
    [InlineData("unexpected argument: extra", "-p", "1", "extra")]
    [InlineData("unexpected argument: extra", "--", "extra")]
    [InlineData("bad flag syntax: ---p", "---p")]
    public void Bad_flags_are_refused_with_go_flag_wording(string message, params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Tls_flags_turn_tls_on_as_nats_server_does()
    {
        var plain = CommandLine.Parse(["--tlscert", Cert("server-cert.pem"), "--tlskey", Cert("server-key.pem")]).ApplyTo(new BrokerOptions());
        Assert.NotNull(plain.Tls);
        Assert.False(plain.Tls.Verify);

        var verified = CommandLine.Parse(["--tlsverify", "--tlscert", Cert("server-cert.pem"), "--tlskey", Cert("server-key.pem"), "--tlscacert", Cert("ca.pem")])
            .ApplyTo(new BrokerOptions());
        Assert.True(verified.Tls!.Verify);
        Assert.Single(verified.Tls.Authorities!);

        Assert.Null(CommandLine.Parse(["-p", "4222"]).ApplyTo(new BrokerOptions()).Tls);
    }

    [Theory]
    [InlineData("--tls")]
    [InlineData("--tlsverify")]
    [InlineData("--tlskey")]
    public void Tls_without_a_certificate_is_refused_with_nats_server_words(string flag)
    {
        string[] args = flag == "--tlskey" ? [flag, Cert("server-key.pem")] : [flag];
        var error = Assert.Throws<ConfigurationException>(() => CommandLine.Parse(args).ApplyTo(new BrokerOptions()));
        Assert.Equal("TLS Server certificate must be present and valid", error.Problem);
    }

    [Fact]
    public void A_missing_certificate_file_is_named()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            CommandLine.Parse(["--tlscert", Cert("nope.pem"), "--tlskey", Cert("server-key.pem")]).ApplyTo(new BrokerOptions()));
        Assert.Contains("nope.pem", error.Message);
    }

    [Fact]
    public void Cluster_advertise_and_no_advertise_flags()
    {
        var options = CommandLine.Parse(["--cluster_listen", "nats://127.0.0.1:6222", "--cluster_advertise", "203.0.113.7:16222", "--no_advertise"])
            .ApplyTo(new BrokerOptions());

        Assert.Equal(new ClusterEndpoint("127.0.0.1", 6222), options.Cluster!.Listen);
        Assert.Equal(new ClusterEndpoint("203.0.113.7", 16222), options.Cluster.Advertise);
        Assert.True(options.Cluster.NoAdvertise);

        var fromFile = BrokerConfigLoader.Parse("cluster { listen: 127.0.0.1:6222, no_advertise: true, advertise: \"h:1\" }");
        var overridden = CommandLine.Parse(["--no_advertise=false", "--cluster_advertise", "other"]).ApplyTo(fromFile);
        Assert.False(overridden.Cluster!.NoAdvertise);
        Assert.Equal(new ClusterEndpoint("other", 6222), overridden.Cluster.Advertise);
    }

    /// <summary>Test certificates beside the nats-server corpus (see its README).</summary>
    private static string Cert(string name) =>
        Path.Combine(Broker.Tests.Configuration.BrokerConfigLoaderTests.RepositoryRoot(), "Broker.Tests", "Configuration", "NatsServerCorpus", "test", "configs", "certs", name);
}

using Broker.Configuration;

namespace Broker.Tests.Configuration;

public class BrokerConfigLoaderTests
{
    [Fact]
    public void Every_key_is_read_into_the_options()
    {
        var options = BrokerConfigLoader.Parse("""
            host: "127.0.0.2"
            port: 4333
            server_name: "b1"
            max_payload: 2MB
            max_control_line: 8KB
            max_connections: 100
            max_subscriptions: 10
            ping_interval: "30s"
            ping_max: 5
            write_deadline: "250ms"
            max_pending: 32MB
            debug: true
            trace: true
            logtime: false
            authorization { timeout: 3 }
            akka { loglevel: DEBUG }
            """);

        Assert.Equal("127.0.0.2", options.Host);
        Assert.Equal(4333, options.Port);
        Assert.Equal("b1", options.ServerName);
        Assert.Equal(2 * 1024 * 1024, options.MaxPayload);
        Assert.Equal(8 * 1024, options.MaxControlLine);
        Assert.Equal(100, options.MaxConnections);
        Assert.Equal(10, options.MaxSubscriptions);
        Assert.Equal(TimeSpan.FromSeconds(30), options.PingInterval);
        Assert.Equal(5, options.PingMax);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.WriteDeadline);
        Assert.Equal(32L * 1024 * 1024, options.MaxPending);
        Assert.True(options.Debug);
        Assert.True(options.Trace);
        Assert.False(options.Logtime);
        Assert.Equal(TimeSpan.FromSeconds(3), options.AuthTimeout);
        Assert.Equal("DEBUG", options.Akka!.GetString("akka.loglevel"));
    }

    [Fact]
    public void An_empty_file_gives_nats_server_defaults()
    {
        Assert.Equal(new BrokerOptions(), BrokerConfigLoader.Parse(""));
        var options = BrokerConfigLoader.Parse("# nothing\n// at all\n");

        Assert.Equal(new BrokerOptions(), options);
        Assert.Equal(4222, options.Port);
        Assert.Equal(1024 * 1024, options.MaxPayload);
        Assert.Equal(TimeSpan.FromMinutes(2), options.PingInterval);
        Assert.Null(options.Akka);
    }

    [Theory]
    [InlineData("port: 1", 1)]
    [InlineData("port = 2", 2)]
    [InlineData("port=3", 3)]
    [InlineData("\"port\": 4", 4)]
    [InlineData("port: 5 # comment", 5)]
    [InlineData("port: 6 // comment", 6)]
    [InlineData("{ port: 7 }", 7)]
    [InlineData("Port: 8", 8)]
    [InlineData("PORT: 9", 9)]
    [InlineData("port: 1\nport: 10", 10)]
    [InlineData("port: -1", -1)]
    public void Hocon_and_nats_server_key_forms(string text, int port) => Assert.Equal(port, BrokerConfigLoader.Parse(text).Port);

    [Theory]
    [InlineData("listen: \"127.0.0.1:4555\"", "127.0.0.1", 4555)]
    [InlineData("listen: 4556", "0.0.0.0", 4556)]
    [InlineData("listen: \":4557\"", "0.0.0.0", 4557)]
    [InlineData("listen: \"[::1]:4558\"", "::1", 4558)]
    [InlineData("listen: \"localhost:-1\"", "localhost", -1)]
    [InlineData("net: \"10.0.0.1\"\nport = 1", "10.0.0.1", 1)]
    [InlineData("listen: \"10.0.0.1:5\"\nport: 6", "10.0.0.1", 6)]
    public void Listen_host_and_net(string text, string host, int port)
    {
        var options = BrokerConfigLoader.Parse(text);
        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
    }

    [Theory]
    [InlineData("max_connections: 1K", 1000)]
    [InlineData("max_connections: 2KB", 2048)]
    public void Counts_take_nats_server_unit_suffixes_too(string text, int value) =>
        Assert.Equal(value, BrokerConfigLoader.Parse(text).MaxConnections);

    [Theory]
    [InlineData("max_conn: 7")]
    [InlineData("max_subs: 7")]
    public void Nats_server_short_aliases(string text)
    {
        var options = BrokerConfigLoader.Parse(text);
        Assert.True(options.MaxConnections == 7 || options.MaxSubscriptions == 7);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("\"false\"", false)]
    public void Booleans_take_nats_server_words(string value, bool expected) =>
        Assert.Equal(expected, BrokerConfigLoader.Parse($"debug: {value}").Debug);

    [Theory]
    [InlineData("ping_interval: 45", 45_000)]
    [InlineData("ping_interval: \"1m30s\"", 90_000)]
    [InlineData("ping_interval: 2m", 2_000_000_000)] // unquoted, nats-server reads 2m as the integer 2000000: seconds
    [InlineData("ping_interval: \"500ms\"", 500)]
    public void Durations_quoted_or_not(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), BrokerConfigLoader.Parse(text).PingInterval);

    [Fact]
    public void Authorization_timeout_takes_a_duration()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), BrokerConfigLoader.Parse("authorization { timeout: \"1.5s\" }").AuthTimeout);
        Assert.Equal(TimeSpan.FromSeconds(0.5), BrokerConfigLoader.Parse("authorization: { timeout: 0.5 }").AuthTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), BrokerConfigLoader.Parse("authorization.timeout = 4").AuthTimeout);
    }

    [Theory]
    [InlineData("http_port: 8222", "", 8222)]
    [InlineData("monitor_port: -1", "", -1)]
    [InlineData("http: 8333", "", 8333)]
    [InlineData("http: \"127.0.0.1:8444\"", "127.0.0.1", 8444)]
    [InlineData("http: \"[::1]:0\"", "::1", 0)]
    [InlineData("http: \"127.0.0.1:8444\"\nhttp_port: 9000", "127.0.0.1", 9000)]
    public void Monitoring_keys(string text, string host, int port)
    {
        var options = BrokerConfigLoader.Parse(text);
        Assert.Equal(host, options.HttpHost);
        Assert.Equal(port, options.HttpPort);
    }

    [Fact]
    public void Without_monitoring_keys_there_is_no_monitor_port() => Assert.Null(BrokerConfigLoader.Parse("port: 1").HttpPort);

    [Fact]
    public void The_akka_block_alone_is_handed_on()
    {
        var options = BrokerConfigLoader.Parse("""
            port: 1
            akka {
              loglevel: INFO
              actor.debug.receive: on
            }
            akka.stdout-loglevel = ERROR
            """);

        var akka = options.Akka!;
        Assert.Equal("INFO", akka.GetString("akka.loglevel"));
        Assert.Equal("ERROR", akka.GetString("akka.stdout-loglevel"));
        Assert.True(akka.GetBoolean("akka.actor.debug.receive"));
        Assert.False(akka.HasPath("port"));
    }

    [Theory]
    [InlineData("port: 4222\nfoo: 1\n", "foo", 2, "unknown configuration key")]
    [InlineData("port: 4222\nleafnodes {\n  remotes: [ { account: A } ]\n}\n", "leafnodes.remotes", 3, "needs \"url\" or \"urls\"")]
    [InlineData("port: 4222\ngateway { listen: \"0.0.0.0:7222\" }\n", "gateway", 2, "needs a \"name\"")]
    [InlineData("gateway {\n  name: A\n}\n", "gateway", 1, "needs \"listen\"")]
    [InlineData("gateway {\n  name: \"A B\"\n  listen: 7222\n}\n", "gateway.name", 2, "cannot be empty or contain spaces")]
    [InlineData("gateway {\n  name: A\n  listen: 7222\n  gateways: [ { name: B } ]\n}\n", "gateway.gateways", 4, "needs \"url\" or \"urls\"")]
    [InlineData("gateway {\n  name: A\n  listen: 7222\n  gateways: [ { name: B, url: \"http://x:1\" } ]\n}\n", "gateway.gateways", 4, "expected a gateway URL")]
    [InlineData("gateway {\n  name: A\n  listen: 7222\n  gateways: [ { name: B, url: \"nats://x:1\" }, { name: B, url: \"nats://y:1\" } ]\n}\n", "gateway.gateways", 4, "listed twice")]
    [InlineData("gateway {\n  name: A\n  listen: 7222\n  colour: red\n}\n", "gateway.colour", 4, "unknown gateway option")]
    [InlineData("cluster {\n  name: A\n  listen: 6222\n}\ngateway {\n  name: B\n  listen: 7222\n}\n", "gateway", 5, "must equal the cluster name")]
    [InlineData("https_port: 8222", "https_port", 1, "not supported yet")]
    [InlineData("http_port: 70000", "http_port", 1, "70000")]
    [InlineData("\nmonitor_port: \"x\"", "monitor_port", 2, "expected a whole number, got \"x\"")]
    [InlineData("http: \"127.0.0.1\"", "http", 1, "expected \"host:port\" or a port, got \"127.0.0.1\"")]
    [InlineData("http: \"127.0.0.1:99999\"", "http", 1, "expected \"host:port\"")]
    [InlineData("http: { port: 1 }", "http", 1, "expected a string")]
    [InlineData("port: \"abc\"", "port", 1, "expected a whole number, got \"abc\"")]
    [InlineData("port: [1, 2]", "port", 1, "expected a number")]
    [InlineData("port: 70000", "port", 1, "70000")]
    [InlineData("port: -2", "port", 1, "-2")]
    [InlineData("host: { a: 1 }", "host", 1, "expected a string")]
    [InlineData("debug: 7", "debug", 1, "expected true or false, got \"7\"")]
    [InlineData("\n\nmax_payload: lots", "max_payload", 3, "expected a size like \"1MB\"")]
    [InlineData("max_payload: 0", "max_payload", 1, "got 0")]
    [InlineData("max_payload: -1", "max_payload", 1, "got -1")]
    [InlineData("max_payload: 128MB", "max_payload", 1, "64MB, got 128MB")]
    [InlineData("max_payload: 2MB\nmax_pending: 1MB", "max_payload", 1, "max_payload (2097152) cannot be higher than max_pending (1048576)")]
    [InlineData("max_pending: 512KB", "max_pending", 1, "cannot be higher than max_pending (524288)")]
    [InlineData("max_pending: 0", "max_pending", 1, "got 0")]
    [InlineData("max_control_line: 0", "max_control_line", 1, "got 0")]
    [InlineData("max_control_line: 4GB", "max_control_line", 1, "4GB")]
    [InlineData("ping_interval: \"soon\"", "ping_interval", 1, "expected a duration like \"2m\"")]
    [InlineData("write_deadline: \"-1s\"", "write_deadline", 1, "must be greater than zero, got \"-1s\"")]
    [InlineData("write_deadline: 0", "write_deadline", 1, "must be greater than zero")]
    [InlineData("ping_max: 0", "ping_max", 1, "got 0")]
    [InlineData("max_connections: 0", "max_connections", 1, "got 0")]
    [InlineData("max_subscriptions: -1", "max_subscriptions", 1, "got -1")]
    [InlineData("authorization {\n  timeout: 1\n  auth_callout: {}\n}", "authorization.auth_callout", 3, "not supported yet")]
    [InlineData("authorization: 5", "authorization", 1, "expected a block")]
    [InlineData("authorization { timeout: \"x\" }", "authorization.timeout", 1, "expected a duration")]
    [InlineData("server_name: \"a b\"", "server_name", 1, "cannot contain spaces")]
    [InlineData("akka: 1", "akka", 1, "expected a block")]
    [InlineData("listen: \"host:port\"", "listen", 1, "expected \"host:port\" or a port, got \"host:port\"")]
    [InlineData("listen: \"::1:4222\"", "listen", 1, "expected \"host:port\"")]
    [InlineData("listen: \"nohost\"", "listen", 1, "expected \"host:port\"")]
    [InlineData("listen: 70000", "listen", 1, "70000")]
    [InlineData("Max_Payload: lots", "Max_Payload", 1, "expected a size")]
    public void Bad_values_are_refused_naming_key_line_and_value(string text, string key, int line, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text, "test.conf"));

        Assert.Equal(key, error.Key);
        Assert.Equal(line, error.Line);
        Assert.Equal("test.conf", error.SourceName);
        Assert.StartsWith($"test.conf:{line}: {key}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void The_line_is_the_keys_own_at_its_nesting_not_a_namesake_elsewhere()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("""
            akka {
              actor { debug { lifecycle: on } }
              debug: x
            }
            port: 1
            debug: 7
            """, "test.conf"));

        Assert.Equal("debug", error.Key);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void A_key_set_twice_is_reported_at_the_line_that_counts()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("port: 1\nhost: \"a\"\nport: x\n", "test.conf"));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.conf");
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.LoadFile(path));

        Assert.Equal(path, error.SourceName);
        Assert.Null(error.Line);
        Assert.StartsWith($"{path}: cannot read the configuration file", error.Message);
    }

    [Fact]
    public void A_directory_is_refused_naming_it()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.LoadFile(Path.GetTempPath()));
        Assert.StartsWith(Path.GetTempPath(), error.Message);
    }

    [Fact]
    public void A_file_error_names_the_file_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, "port: 1\nmax_payload: lots\n");
        try
        {
            var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.LoadFile(path));
            Assert.StartsWith($"{path}:2: max_payload: ", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_default_file_sets_every_default()
    {
        var options = BrokerConfigLoader.LoadFile(Path.Combine(RepositoryRoot(), "hocon", "broker.conf"));

        Assert.Equal(new BrokerOptions(), options with { Akka = null });
        Assert.Equal("WARNING", options.Akka!.GetString("akka.loglevel"));
    }

    [Fact]
    public void Process_and_log_options_are_read_for_the_host()
    {
        var options = BrokerConfigLoader.Parse("""
            pid_file: "/tmp/broker.pid"
            logfile: /var/log/broker.log
            log_size_limit: 10MB
            lame_duck_duration: "45s"
            lame_duck_grace_period: "3s"
            max_traced_msg_len: 128
            """);
        Assert.Equal("/tmp/broker.pid", options.PidFile);
        Assert.Equal("/var/log/broker.log", options.LogFile);
        Assert.Equal(10L << 20, options.LogSizeLimit);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LameDuckDuration);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LameDuckGracePeriod);
        Assert.Equal(128, options.MaxTracedMsgLen);
    }

    [Theory]
    [InlineData("lame_duck_duration: \"10s\"", "lame_duck_duration", "minimum is 30 seconds")]
    [InlineData("syslog: true", "syslog", "not supported yet")]
    [InlineData("remote_syslog: \"udp://127.0.0.1:514\"", "remote_syslog", "not supported yet")]
    [InlineData("prof_port: 6060", "prof_port", "not supported yet")]
    [InlineData("https_port: 8443", "https_port", "not supported yet")]
    [InlineData("connect_error_reports: 10", "connect_error_reports", "not supported yet")]
    [InlineData("cluster { listen: 127.0.0.1:-1 }", "cluster", "not supported yet")]
    [InlineData("cluster { listen: 127.0.0.1:6222, connect_retries: 3 }", "cluster.connect_retries", "not supported yet")]
    [InlineData("accounts { A { jetstream: enabled } }", "accounts.A.jetstream", "not supported yet")]
    public void Nats_server_options_are_refused_by_name_when_not_implemented(string text, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text));
        Assert.Equal(key, error.Key);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Every_example_loads()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "hocon", "examples"), "*.conf");

        Assert.True(files.Length >= 2);
        foreach (var file in files) BrokerConfigLoader.LoadFile(file);
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Broker.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Broker.sln not found above the test directory");
    }
}

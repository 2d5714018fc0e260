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
        var options = BrokerConfigLoader.Parse("# nothing\n");

        Assert.Equal(new BrokerOptions(), options);
        Assert.Equal(4222, options.Port);
        Assert.Equal(1024 * 1024, options.MaxPayload);
        Assert.Equal(TimeSpan.FromMinutes(2), options.PingInterval);
    }

    [Theory]
    [InlineData("listen: \"127.0.0.1:4555\"", "127.0.0.1", 4555)]
    [InlineData("listen: 4556", "0.0.0.0", 4556)]
    [InlineData("net: \"10.0.0.1\"\nport = 1", "10.0.0.1", 1)]
    [InlineData("listen: \"[::1]:4557\"", "::1", 4557)]
    public void Listen_and_host_forms(string text, string host, int port)
    {
        var options = BrokerConfigLoader.Parse(text);
        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
    }

    [Theory]
    [InlineData("port: 4222\nfoo: 1\n", "foo", 2)]
    [InlineData("port: \"abc\"", "port", 1)]
    [InlineData("port: 70000", "port", 1)]
    [InlineData("debug: 7", "debug", 1)]
    [InlineData("\n\nmax_payload: lots", "max_payload", 3)]
    [InlineData("max_payload: 128MB", "max_payload", 1)]
    [InlineData("max_payload: 2MB\nmax_pending: 1MB", "max_payload", 1)]
    [InlineData("ping_interval: \"soon\"", "ping_interval", 1)]
    [InlineData("write_deadline: \"-1s\"", "write_deadline", 1)]
    [InlineData("ping_max: 0", "ping_max", 1)]
    [InlineData("max_connections: 0", "max_connections", 1)]
    [InlineData("max_subscriptions: -1", "max_subscriptions", 1)]
    [InlineData("authorization {\n  user: \"a\"\n}", "authorization.user", 2)]
    [InlineData("server_name: \"a b\"", "server_name", 1)]
    [InlineData("akka: 1", "akka", 1)]
    [InlineData("listen: \"host:port\"", "listen", 1)]
    public void Bad_values_are_refused_naming_the_key_and_line(string text, string key, int line)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text, "test.conf"));

        Assert.Equal(key, error.Key);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"test.conf:{line}: {key}: ", error.Message);
    }

    [Fact]
    public void Unquoted_colon_values_are_a_syntax_error_with_their_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("port: 1\nlisten: 127.0.0.1:4222\n", "test.conf"));

        Assert.Equal(2, error.Line);
        Assert.Contains("not valid HOCON", error.Message);
    }

    [Fact]
    public void An_unclosed_block_is_a_syntax_error_with_its_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("port: 1\nauthorization {\n  timeout: 2\n", "test.conf"));

        Assert.Equal(2, error.Line);
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.conf");
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.LoadFile(path));

        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void The_default_file_and_every_example_load()
    {
        var hocon = Path.Combine(RepositoryRoot(), "hocon");
        var files = Directory.GetFiles(hocon, "*.conf", SearchOption.AllDirectories);

        Assert.Contains(files, f => Path.GetFileName(f) == "broker.conf");
        Assert.True(files.Length >= 3);
        foreach (var file in files) BrokerConfigLoader.LoadFile(file);
        Assert.Equal(4222, BrokerConfigLoader.LoadFile(Path.Combine(hocon, "broker.conf")).Port);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Broker.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Broker.sln not found above the test directory");
    }
}

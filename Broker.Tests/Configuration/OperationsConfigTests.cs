using Broker.Configuration;

namespace Broker.Tests.Configuration;

/// <summary>The operations keys: pid_file, log_file, log_size_limit, lame_duck_duration, lame_duck_grace_period.</summary>
public class OperationsConfigTests
{
    [Fact]
    public void The_operations_keys_are_read_into_the_options()
    {
        var options = BrokerConfigLoader.Parse("""
            pid_file: "/tmp/b.pid"
            log_file: "/tmp/b.log"
            log_size_limit: 1MB
            lame_duck_duration: "45s"
            lame_duck_grace_period: "2s"
            """, "test.conf");

        Assert.Equal("/tmp/b.pid", options.PidFile);
        Assert.Equal("/tmp/b.log", options.LogFile);
        Assert.Equal(1024 * 1024, options.LogSizeLimit);
        Assert.Equal(TimeSpan.FromSeconds(45), options.LameDuckDuration);
        Assert.Equal(TimeSpan.FromSeconds(2), options.LameDuckGracePeriod);
    }

    [Fact]
    public void Lame_duck_defaults_are_nats_servers()
    {
        var options = BrokerConfigLoader.Parse("", "test.conf");
        Assert.Equal(TimeSpan.FromMinutes(2), options.LameDuckDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), options.LameDuckGracePeriod);
        Assert.Null(options.PidFile);
        Assert.Null(options.LogFile);
    }

    [Theory]
    [InlineData("lame_duck_duration: \"10s\"", "lame_duck_duration", "invalid lame_duck_duration of 10s, minimum is 30 seconds")]
    [InlineData("lame_duck_duration: \"30s\"\nlame_duck_grace_period: \"30s\"", "lame_duck_grace_period", "lame duck grace period (30s) should be strictly lower than lame duck duration (30s)")]
    [InlineData("lame_duck_grace_period: \"3m\"", "lame_duck_grace_period", "lame duck grace period (3m0s) should be strictly lower than lame duck duration (2m0s)")]
    public void Lame_duck_settings_are_validated_with_nats_servers_text(string text, string key, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse(text, "test.conf"));
        Assert.Equal(key, error.Key);
        Assert.EndsWith(problem, error.Message);
    }
}

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

    [Theory]
    [InlineData("--port=6000", 6000)]
    [InlineData("--port", 7000)]
    [InlineData("-p", -1)]
    public void Port_forms(string flag, int port)
    {
        var args = flag.Contains('=') ? new[] { flag } : new[] { flag, port.ToString() };
        Assert.Equal(port, CommandLine.Parse(args).Port);
    }

    [Fact]
    public void Without_flags_the_file_values_stay()
    {
        var file = new BrokerOptions { Port = 1234, Debug = true };
        Assert.Equal(file, CommandLine.Parse([]).ApplyTo(file));
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help(string flag) => Assert.True(CommandLine.Parse([flag]).ShowHelp);

    [Theory]
    [InlineData("-v")]
    [InlineData("--version")]
    public void Version(string flag) => Assert.True(CommandLine.Parse([flag]).ShowVersion);

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-p")]
    [InlineData("-p", "abc")]
    [InlineData("-p", "70000")]
    [InlineData("-m", "8222")]
    public void Bad_flags_are_refused_with_a_message(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}

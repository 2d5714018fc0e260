using System.Runtime.InteropServices;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

public class HostProcessTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigTerm = 15;
    private const int SigInt = 2;

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    public async Task Host_serves_clients_and_shuts_down_cleanly_on_a_signal(int signal)
    {
        await using var host = HostProcess.Start("-a", "127.0.0.1", "-p", "0");
        var port = await host.ListeningPort;
        await host.Ready;

        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nPUB a 2\r\nhi\r\nPING\r\n");
        Assert.Equal("MSG a 1 2\r\nhi\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));

        Assert.Equal(0, kill(host.Process.Id, signal));
        Assert.Equal(0, await host.WaitForExitAsync());
        // The client sees its connection closed by the shutdown, not reset mid-frame.
        Assert.Equal("", await client.ReadToCloseAsync());
        var output = string.Join("\n", host.Output);
        Assert.Contains("Starting Broker", output);
        Assert.Contains("Server is ready", output);
        Assert.Contains("Server Exiting", output);
    }

    [Fact]
    public async Task Host_refuses_a_bad_config_naming_the_key_and_exits_non_zero()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broker-bad-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, "port: 4222\nmax_payload: \"lots\"\n");
        try
        {
            await using var host = HostProcess.Start("-c", path);
            Assert.NotEqual(0, await host.WaitForExitAsync());
            var output = string.Join("\n", host.Output);
            Assert.Contains("max_payload", output);
            Assert.DoesNotContain("Server is ready", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Host_prints_its_version()
    {
        await using var host = HostProcess.Start("--version");
        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.Contains(host.Output, line => line.Contains("version", StringComparison.OrdinalIgnoreCase));
    }
}

using System.Runtime.InteropServices;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary><c>-l</c>/<c>log_file</c>, <c>log_size_limit</c> rotation and SIGUSR1 reopen, on a real Broker.Host process.</summary>
public class LogFileTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigUsr1 = 10;
    private const int SigHup = 1;

    private static async Task<string> WaitForFileLineAsync(string path, string text) =>
        (await Eventually.ValueAsync(
            async () =>
            {
                if (!File.Exists(path)) return null;
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var content = await new StreamReader(stream).ReadToEndAsync();
                return content.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            },
            line => line is not null,
            _ => $"no line with \"{text}\" in {path}"))!;

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"broker-log-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public async Task With_l_the_log_goes_to_the_file_and_sigusr1_reopens_it_after_a_rotation_by_another_tool()
    {
        var dir = TempDir();
        try
        {
            var log = Path.Combine(dir, "broker.log");
            await using var host = HostProcess.Start("-a", "127.0.0.1", "-p", "0", "-l", log, "-T=false");
            Assert.EndsWith("[INF] Server is ready", await WaitForFileLineAsync(log, "Server is ready"));
            Assert.DoesNotContain(host.Output, l => l.Contains("Server is ready", StringComparison.Ordinal));

            // What logrotate does: move the file away, then ask the server to reopen.
            File.Move(log, log + ".1");
            Assert.Equal(0, kill(host.Process.Id, SigUsr1));
            Assert.EndsWith("[INF] File log re-opened", await WaitForFileLineAsync(log, "File log re-opened"));
            Assert.DoesNotContain("File log re-opened", File.ReadAllText(log + ".1"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Log_size_limit_rotates_the_file_keeping_a_backup_named_as_nats_server_does()
    {
        var dir = TempDir();
        try
        {
            var log = Path.Combine(dir, "broker.log");
            var config = Path.Combine(dir, "broker.conf");
            File.WriteAllText(config, $"host: 127.0.0.1\nport: -1\nlogtime: false\nlog_file: \"{log}\"\nlog_size_limit: 200\n");
            await using var host = HostProcess.Start("-c", config);
            await WaitForFileLineAsync(log, "Server is ready");
            // More lines after the limit: each write past it starts a new file.
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            await WaitForFileLineAsync(log, "Reloaded server configuration");

            var backups = Directory.GetFiles(dir).Where(f => f.StartsWith(log + ".", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(backups);
            Assert.All(backups, b => Assert.Matches(@"broker\.log\.\d{4}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.\d{2}\.\d{9}$", b));
            Assert.Contains("[INF] Rotated log, backup saved as " + Path.Combine(dir, "broker.log."), File.ReadAllText(log));
            Assert.Contains("Starting Broker", string.Concat(backups.Select(File.ReadAllText)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_reload_can_move_the_log_from_the_console_to_a_file()
    {
        var dir = TempDir();
        try
        {
            var log = Path.Combine(dir, "broker.log");
            var config = Path.Combine(dir, "broker.conf");
            File.WriteAllText(config, "host: 127.0.0.1\nport: -1\nlogtime: false\n");
            await using var host = HostProcess.Start("-c", config);
            await host.Ready;
            File.WriteAllText(config, $"host: 127.0.0.1\nport: -1\nlogtime: false\nlog_file: \"{log}\"\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));

            Assert.EndsWith($"[INF] Reloaded: log_file = {log}", await WaitForFileLineAsync(log, "Reloaded: log_file"));
            await WaitForFileLineAsync(log, "Reloaded server configuration");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

using System.Text;
using System.Text.RegularExpressions;
using Broker.Host;
using Broker.Tests.Configuration;

namespace Broker.Tests.Host;

/// <summary>The host's life in-process: console and signals are handed in, nothing is spawned.</summary>
public class HostRunnerTests
{
    private static readonly Task<string> Never = new TaskCompletionSource<string>().Task;

    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var (code, output, error) = await RunAsync("-h");

        Assert.Equal(0, code);
        Assert.Contains("Usage: Broker.Host [options]", output);
        Assert.Contains("--config", output);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var (code, output, _) = await RunAsync("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^Broker version \d+\.\d+\.\d+", output);
    }

    [Fact]
    public async Task An_undefined_flag_prints_the_problem_and_usage_to_stderr_and_exits_0_as_nats_server_does()
    {
        var (code, output, error) = await RunAsync("--bogus");

        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.StartsWith("flag provided but not defined: -bogus", error);
        Assert.Contains("Usage:", error);
    }

    [Theory]
    [InlineData("invalid value \"abc\" for flag -p: parse error", "-p", "abc")]
    [InlineData("flag needs an argument: -p", "-p")]
    [InlineData("invalid boolean value \"maybe\" for flag -D", "-D=maybe")]
    [InlineData("bad flag syntax: ---p", "---p")]
    public async Task Every_go_flag_error_exits_0_with_usage_as_nats_server_does(string message, params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.StartsWith(message, error);
        Assert.Contains("Usage:", error);
    }

    [Fact]
    public async Task An_extra_argument_exits_1_as_nats_server_does()
    {
        var (code, _, error) = await RunAsync("-p", "1", "extra");

        Assert.Equal(1, code);
        Assert.StartsWith("unexpected argument: extra", error);
    }

    [Fact]
    public async Task A_flag_refused_by_name_exits_1()
    {
        var (code, _, error) = await RunAsync("-js");

        Assert.Equal(1, code);
        Assert.StartsWith("-js: not supported yet", error);
    }

    [Fact]
    public async Task A_bad_config_names_file_line_and_key_and_starts_nothing()
    {
        var file = TempConfig("port: 1\nmax_payload: lots\n");
        try
        {
            var (code, output, error) = await RunAsync("-c", file);

            Assert.Equal(1, code);
            Assert.Equal("", output);
            Assert.StartsWith($"Broker: {file}:2: max_payload: expected a size", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        var (code, _, error) = await RunAsync("-c", "/nonexistent/broker.conf");

        Assert.Equal(1, code);
        Assert.StartsWith("Broker: /nonexistent/broker.conf: cannot read the configuration file", error);
    }

    [Fact]
    public async Task Test_config_checks_the_file_and_exits()
    {
        var good = Path.Combine(BrokerConfigLoaderTests.RepositoryRoot(), "hocon", "broker.conf");
        var (code, output, _) = await RunAsync("-t", "-c", good);
        Assert.Equal(0, code);
        Assert.Equal($"Broker: configuration file {good} is valid", output.Trim());

        var (noFile, _, error) = await RunAsync("-t");
        Assert.Equal(1, noFile);
        Assert.Contains("must specify [-c, --config]", error);
    }

    [Fact]
    public void Without_c_the_default_file_beside_the_binary_is_used_if_present()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var (options, file) = HostRunner.LoadOptions(CommandLine.Parse([]), dir.FullName);
            Assert.Null(file);
            Assert.Equal(new Broker.Configuration.BrokerOptions(), options);

            Directory.CreateDirectory(Path.Combine(dir.FullName, "hocon"));
            File.WriteAllText(Path.Combine(dir.FullName, "hocon", "broker.conf"), "port: 4999\nserver_name: \"from-file\"\n");
            (options, file) = HostRunner.LoadOptions(CommandLine.Parse(["-p", "5001"]), dir.FullName);
            Assert.Equal(Path.Combine(dir.FullName, "hocon", "broker.conf"), file);
            Assert.Equal(5001, options.Port);
            Assert.Equal("from-file", options.ServerName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Runs_until_the_signal_then_shuts_down_in_nats_server_order()
    {
        var output = new LineWriter();
        var error = new StringWriter();
        var signal = new TaskCompletionSource<string>();
        var file = TempConfig("logtime: false\nakka { loglevel: ERROR }\n");
        try
        {
            var run = HostRunner.RunAsync(["-c", file, "-a", "127.0.0.1", "-p", "0", "-D"], output, error, signal.Task);
            await output.WaitForAsync("Server is ready", run);
            signal.SetResult("terminated");
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            File.Delete(file);
        }

        var messages = output.Lines.Select(l => Regex.Replace(l, @"^\[\d+\] \[\w+\] ", "")).ToList();
        Assert.Equal("Starting Broker", messages[0]);
        Assert.StartsWith("  Version:  ", messages[1]);
        Assert.Contains($"Using configuration file: {file}", messages);
        Assert.Contains(messages, m => Regex.IsMatch(m, @"^Listening for client connections on 127\.0\.0\.1:\d+$"));
        Assert.Equal(["Server is ready", "Trapped \"terminated\" signal", "Initiating Shutdown...", "Server Exiting.."], messages.TakeLast(4));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task A_port_in_use_is_a_fatal_error_and_exit_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var output = new LineWriter();
        var code = await HostRunner.RunAsync(["-a", "127.0.0.1", "-p", port.ToString(), "-T=false"], output, new StringWriter(), Never, Path.GetTempPath())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, code);
        Assert.Contains(output.Lines, l => l.Contains("[FTL] Error listening on port: 127.0.0.1:" + port));
    }

    [Fact]
    public async Task With_m_the_host_serves_the_monitoring_port_until_shutdown()
    {
        var output = new LineWriter();
        var signal = new TaskCompletionSource<string>();
        var run = HostRunner.RunAsync(["-a", "127.0.0.1", "-p", "0", "-m", "0"], output, new StringWriter(), signal.Task, Path.GetTempPath());
        await output.WaitForAsync("Server is ready", run);
        var line = output.Lines.Single(l => l.Contains("Starting http monitor on 127.0.0.1:"));
        var port = int.Parse(Regex.Match(line, @":(\d+)$").Groups[1].Value);

        using (var http = new HttpClient())
        {
            Assert.Equal("{\"status\":\"ok\"}", await http.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
        }
        signal.SetResult("interrupt");
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));

        using var tcp = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => tcp.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task A_monitor_port_in_use_is_a_fatal_error_and_exit_1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var output = new LineWriter();
        var code = await HostRunner.RunAsync(["-a", "127.0.0.1", "-p", "0", "-m", port.ToString(), "-T=false"], output, new StringWriter(), Never, Path.GetTempPath())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, code);
        Assert.Contains(output.Lines, l => l.Contains($"[FTL] Error starting the server: Can't listen to the monitor port 127.0.0.1:{port}"));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HostRunner.RunAsync(args, output, error, Never, Path.GetTempPath()).WaitAsync(TimeSpan.FromSeconds(30));
        return (code, output.ToString(), error.ToString());
    }

    private static string TempConfig(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"broker-test-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A thread-safe writer that collects lines and lets a test wait for one.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly StringBuilder _current = new();
        private readonly List<string> _lines = [];
        private readonly object _gate = new();

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines
        {
            get { lock (_gate) return _lines.ToArray(); }
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                if (value == '\n')
                {
                    _lines.Add(_current.ToString().TrimEnd('\r'));
                    _current.Clear();
                }
                else
                {
                    _current.Append(value);
                }
            }
        }

        public async Task WaitForAsync(string text, Task running)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Lines.Any(l => l.Contains(text)))
            {
                if (running.IsCompleted) throw new InvalidOperationException("host stopped: " + string.Join("\n", Lines));
                if (DateTime.UtcNow > deadline) throw new TimeoutException(string.Join("\n", Lines));
                await Task.Delay(20);
            }
        }
    }
}

using Broker.Configuration;

namespace Broker.Tests.Configuration.NatsFormat;

/// <summary>
/// nats-server's configuration grammar (conf/lex.go, conf/parse.go), through the public loader:
/// the forms its lexer accepts load, the ones it refuses are refused with file, line and key.
/// </summary>
public class NatsConfigGrammarTests
{
    [Theory]
    [InlineData("listen: 127.0.0.1:4333", "127.0.0.1", 4333)]
    [InlineData("listen = 127.0.0.1:4333", "127.0.0.1", 4333)]
    [InlineData("listen 127.0.0.1:4333", "127.0.0.1", 4333)]
    [InlineData("listen: localhost:4333", "localhost", 4333)]
    [InlineData("listen: '127.0.0.1:4333'", "127.0.0.1", 4333)]
    [InlineData("listen: \"127.0.0.1:4333\"", "127.0.0.1", 4333)]
    [InlineData("listen: 0.0.0.0:4333 # comment", "0.0.0.0", 4333)]
    [InlineData("listen: 0.0.0.0:4333; port: 4333", "0.0.0.0", 4333)]
    [InlineData("{\n  listen: 127.0.0.1:4333\n}", "127.0.0.1", 4333)]
    [InlineData("// comment\nlisten: \"[::1]:4333\"", "::1", 4333)]
    public void Listen_in_every_nats_form(string text, string host, int port)
    {
        var options = BrokerConfigLoader.Parse(text, "test.conf");
        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
    }

    [Fact]
    public void Maps_and_arrays_with_commas_semicolons_or_new_lines()
    {
        var options = BrokerConfigLoader.Parse("""
            authorization {
              users = [
                {user: alice, password: foo}, {user: 'bob'; password: "bar"}
                {user: carol
                 password: baz}
              ]
              timeout: 3
            }
            """, "test.conf");
        Assert.Equal(["alice", "bob", "carol"], options.Users.Select(u => u.Name));
        Assert.Equal(["foo", "bar", "baz"], options.Users.Select(u => u.Password));
        Assert.Equal(TimeSpan.FromSeconds(3), options.AuthTimeout);
    }

    [Fact]
    public void Variables_come_from_the_file_then_the_environment()
    {
        var name = $"BROKER_TEST_PORT_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "4444");
        try
        {
            var options = BrokerConfigLoader.Parse($$"""
                PASS: "s3cret"
                port: ${{name}}
                authorization { user: bob, password: $PASS }
                """, "test.conf");
            Assert.Equal(4444, options.Port);
            Assert.Equal("s3cret", options.Users.Single().Password);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_missing_variable_is_refused_with_its_line()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse("port: 1\nmax_payload: $NOPE_NOT_SET_ANYWHERE\n", "test.conf"));
        Assert.Equal(2, error.Line);
        Assert.Equal("max_payload", error.Key);
        Assert.Contains("variable reference for 'NOPE_NOT_SET_ANYWHERE' can not be found", error.Message);
    }

    [Theory]
    [InlineData("max_payload: 1MB", 1 << 20)]
    [InlineData("max_payload: 1mb", 1 << 20)]
    [InlineData("max_payload: 2k", 2000)]
    [InlineData("max_payload: 2KB", 2048)]
    [InlineData("max_payload: \"2KB\"", 2048)]
    [InlineData("max_payload = 1000", 1000)]
    public void Integers_with_size_suffixes(string text, int bytes) =>
        Assert.Equal(bytes, BrokerConfigLoader.Parse(text, "test.conf").MaxPayload);

    [Theory]
    [InlineData("debug: true", true)]
    [InlineData("debug: yes", true)]
    [InlineData("debug: on", true)]
    [InlineData("debug = false", false)]
    [InlineData("debug no", false)]
    [InlineData("debug: OFF", false)]
    public void Booleans_in_nats_spellings(string text, bool value) =>
        Assert.Equal(value, BrokerConfigLoader.Parse(text, "test.conf").Debug);

    [Theory]
    [InlineData("authorization { user: a, password: \"x\\ty\" }", "x\ty")]
    [InlineData("authorization { user: a, password: \"q\\\"q\" }", "q\"q")]
    [InlineData("authorization { user: a, password: \"\\x41B\" }", "AB")]
    [InlineData("authorization { user: a, password: 'no\\tescape' }", "no\\tescape")]
    [InlineData("authorization { user: a, password: p#ss }", "p#ss")]
    public void Strings_quoted_single_double_or_not(string text, string password) =>
        Assert.Equal(password, BrokerConfigLoader.Parse(text, "test.conf").Users.Single().Password);

    [Fact]
    public void Single_quotes_are_not_part_of_the_name() =>
        Assert.Equal("foo", BrokerConfigLoader.Parse("authorization { user: 'foo', password: 'bar' }", "test.conf").Users.Single().Name);

    [Fact]
    public void Include_is_relative_to_the_including_file_and_errors_name_the_included_file()
    {
        var directory = Directory.CreateTempSubdirectory("broker-include-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "sub"));
            File.WriteAllText(Path.Combine(directory.FullName, "main.conf"), "port: 4555\ninclude 'sub/auth.conf'\n");
            File.WriteAllText(Path.Combine(directory.FullName, "sub", "auth.conf"), "authorization {\n  include \"users.conf\"\n}\n");
            File.WriteAllText(Path.Combine(directory.FullName, "sub", "users.conf"), "user: alice\npassword: pw\n");
            var options = BrokerConfigLoader.LoadFile(Path.Combine(directory.FullName, "main.conf"));
            Assert.Equal(4555, options.Port);
            Assert.Equal("alice", options.Users.Single().Name);

            File.WriteAllText(Path.Combine(directory.FullName, "sub", "users.conf"), "user: alice\npassword: pw\nbogus: 1\n");
            var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.LoadFile(Path.Combine(directory.FullName, "main.conf")));
            Assert.EndsWith("users.conf", error.SourceName);
            Assert.Equal(3, error.Line);
            Assert.Equal("authorization.bogus", error.Key);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_akka_block_goes_to_hocon_as_written()
    {
        var options = BrokerConfigLoader.Parse("""
            port: 1
            akka {
              loglevel = DEBUG   # a HOCON comment
              actor { debug { receive = on } }
            }
            akka.stdout-loglevel = INFO
            """, "test.conf");
        Assert.Equal("DEBUG", options.Akka!.GetString("akka.loglevel"));
        Assert.Equal("INFO", options.Akka!.GetString("akka.stdout-loglevel"));
        Assert.True(options.Akka!.GetBoolean("akka.actor.debug.receive"));
    }

    [Theory]
    [InlineData("port: 1\nlisten: 127.0.0.1:4222 extra\n", 2, "listen", "expected a top-level value to end")]
    [InlineData("port: 1\nauthorization {\n  timeout: 2\n", 2, "authorization", "'{' is never closed")]
    [InlineData("a: [1, 2\n", 1, "a", "'[' is never closed")]
    [InlineData("a: [, 2]\n", 1, "a", "unexpected array value terminator")]
    [InlineData("a { b: [1, }\n", 1, "a.b", "']' is missing")]
    [InlineData("a: 1\nb: \"open\n", 2, "b", "quoted string is not closed")]
    [InlineData("a: \"\\q\"\n", 1, "a", "invalid escape character 'q'")]
    [InlineData("a: 1\nb:\n", 2, "b", "expected a value but found a new line")]
    [InlineData("a: 1\n  = 3\n", 2, null, "unexpected key separator '='")]
    [InlineData("a: .5\n", 1, "a", "floats must start with a digit")]
    [InlineData("a: 1.\n", 1, "a", "floats must have a digit after the '.'")]
    [InlineData("include\n", 1, "include", "the key has no value")]
    [InlineData("port: 1\ninclude 'no-such-file.conf'\n", 2, "include", "cannot read the included file 'no-such-file.conf'")]
    [InlineData("akka {\n  loglevel = DEBUG\n", 1, "akka", "'{' is never closed")]
    public void Grammar_errors_name_line_and_key(string text, int line, string? key, string problem)
    {
        var parse = Task.Run(() => Record.Exception(() => BrokerConfigLoader.Parse(text, "test.conf")));
        Assert.True(parse.Wait(TimeSpan.FromSeconds(10)), "the parser hung");
        var error = Assert.IsType<ConfigurationException>(parse.Result);
        Assert.Equal(line, error.Line);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"test.conf:{line}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("a: \"\"\"multi\nline: text\"\"\"\nport: 2\n")]
    [InlineData("port: 1, max_payload: 2\n")]
    [InlineData("authorization { timeout = 1 }\n")]
    [InlineData("authorization: { timeout: 1 }\n")]
    [InlineData("\uFEFFport: 1\r\nmax_payload: 2\r\n")]
    [InlineData("")]
    [InlineData("# only a comment")]
    public void Valid_forms_load(string text)
    {
        try
        {
            BrokerConfigLoader.Parse(text, "test.conf");
        }
        catch (ConfigurationException e) when (e.Key == "a" && e.Problem.Contains("unknown"))
        {
            // "a" is no option: reaching the loader means the grammar accepted the text.
        }
    }
}

using Broker.Configuration;

namespace Broker.Tests.Configuration;

/// <summary>
/// Syntax errors through the public loader. Several of these inputs hang Akka's HOCON parser or
/// overflow its stack, or are accepted by it silently; each must be refused quickly with its line.
/// </summary>
public class ConfigSyntaxTests
{
    [Theory]
    [InlineData("port: 1\nlisten: 127.0.0.1:4222\n", 2, "listen", "listen: \"127.0.0.1:4222\"")]
    [InlineData("url: http://example.com # docs\n", 1, "url", "url: \"http://example.com\"")]
    [InlineData("port 4222\n", 1, "port", "put ':' or '=' between a key and its value, e.g. port: 4222")]
    [InlineData("a: 1\nmax_payload 1MB\n", 2, "max_payload", "e.g. max_payload: 1MB")]
    [InlineData("port: 1\nauthorization {\n  timeout: 2\n", 2, "authorization", "'{' is never closed")]
    [InlineData("port: 1\n}\n", 2, null, "'}' without a matching '{'")]
    [InlineData("port: 1 }\n", 1, null, "'}' without a matching '{'")]
    [InlineData("a: [1, 2\n", 1, "a", "'[' is never closed")]
    [InlineData("a { b: [1, }\n", 1, "a.b", "']' is missing")]
    [InlineData("a: 1\nb: [1, 2\n}\n", 3, "b", "']' is missing")]
    [InlineData("a: 1\nb: \"open\n", 2, "b", "quoted string is not closed")]
    [InlineData("a: 1\nb: \"\"\"open\n", 2, "b", "never closed")]
    [InlineData("a: \"\\q\"\n", 1, "a", "unknown escape")]
    [InlineData("a: 1\nb = = 3\n", 2, "b", "'=' after '='")]
    [InlineData("a: 1\n  = 3\n", 2, null, "expected a key")]
    [InlineData("a: 1\nb:\n", 2, "b", "no value after ':'")]
    [InlineData("a: 1\nb\n", 2, "b", "the key has no value")]
    [InlineData("a: 1,,b: 2\n", 1, "a", "two ',' in a row")]
    [InlineData("a: [1,,2]\n", 1, "a", "two ',' in a row")]
    [InlineData("a { b: 1 } c: 2\n", 1, "a", "expected a new line or ','")]
    [InlineData("a: 1; b: 2\n", 1, "a", "';'")]
    [InlineData("a: x@y\n", 1, "a", "unexpected '@'")]
    [InlineData("a: 1\nb: ${a}\n", 2, "b", "substitutions")]
    [InlineData("a: ${a}\n", 1, "a", "substitutions")]
    [InlineData("a: ${?nope}\n", 1, "a", "substitutions")]
    [InlineData("a: $TOKEN\n", 1, "a", "variables ($NAME) are not supported")]
    [InlineData("a += 1\n", 1, null, "'+=' is not supported")]
    [InlineData("include \"other.conf\"\n", 1, null, "'include' is not supported")]
    [InlineData("a..b: 1\n", 1, "a..b", "empty part")]
    [InlineData("{ a: 1 } b\n", 1, null, "after the closing '}'")]
    [InlineData("a: 1\n@b: 2\n", 2, null, "unexpected '@'")]
    [InlineData("a {\n  b: 1\n  c: x*\n}\n", 3, "a.c", "unexpected '*'")]
    public void Syntax_errors_are_refused_with_their_line(string text, int line, string? key, string problem)
    {
        var error = ParseWithin(text);

        Assert.Equal(line, error.Line);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"test.conf:{line}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("a: \"x:y\"\n")]
    [InlineData("a: \"\"\"multi\nline: text\"\"\"\nport: 2\n")]
    [InlineData("a: \"\\u0041\\t\\\"\"\n")]
    [InlineData("a: [1, 2, 3]\n")]
    [InlineData("a: [\n  1\n  2,\n]\n")]
    [InlineData("a: [{ b: 1 }, { c: 2 }]\n")]
    [InlineData("a: [[1], [2]]\n")]
    [InlineData("a.b.c: 1\n")]
    [InlineData("a.\"b.c\": 1\n")]
    [InlineData("\"a b\": 1\n")]
    [InlineData("a: x+y\n")]
    [InlineData("a: /path/to/file\n")]
    [InlineData("a: 10 seconds\n")]
    [InlineData("a: 1, b: 2\n")]
    [InlineData("a { b { c: 1 } }\n")]
    [InlineData("a: { b: 1 }\n")]
    [InlineData("a = { b = 1 }\n")]
    [InlineData("\uFEFFa: 1\r\nb: 2\r\n")]
    [InlineData("")]
    public void Valid_hocon_passes_the_check(string text) => ConfigSyntax.Check(text, "test.conf");

    [Fact]
    public void Key_lines_follow_nesting_and_dotted_paths()
    {
        var lines = ConfigSyntax.Check("""
            port: 1
            authorization {
              timeout: 2
            }
            akka.loglevel = INFO
            akka {
              actor { debug { receive: on } }
            }
            port: 3
            """, "test.conf");

        Assert.Equal(9, lines.LineOf("port"));
        Assert.Equal(2, lines.LineOf("authorization"));
        Assert.Equal(3, lines.LineOf("authorization.timeout"));
        Assert.Equal(5, lines.LineOf("akka.loglevel"));
        Assert.Equal(7, lines.LineOf("akka.actor.debug.receive"));
        Assert.Null(lines.LineOf("timeout"));
    }

    /// <summary>Parses on another thread so a regression to Akka's hang fails the test instead of the run.</summary>
    private static ConfigurationException ParseWithin(string text)
    {
        var parse = Task.Run(() => Record.Exception(() => BrokerConfigLoader.Parse(text, "test.conf")));
        Assert.True(parse.Wait(TimeSpan.FromSeconds(10)), "the parser hung");
        return Assert.IsType<ConfigurationException>(parse.Result);
    }
}

using System.Globalization;
using System.Text;
using Akka.Configuration.Hocon;

namespace Broker.Configuration.NatsFormat;

/// <summary>
/// nats-server's configuration grammar (conf/lex.go and conf/parse.go of nats-server 2.9), read into
/// the HOCON tree the loader consumes: <c>key: value</c>, <c>key = value</c>, <c>key value</c>,
/// unquoted strings ending at white space, <c>,</c>, <c>;</c>, <c>]</c> or <c>}</c> (so <c>host:port</c>,
/// URLs and subjects need no quotes), <c>#</c> and <c>//</c> comments, maps and arrays separated by
/// commas or new lines, <c>include</c> relative to the including file, <c>$NAME</c> variables from
/// enclosing blocks or the environment, single- and double-quoted strings, <c>( ... )</c> raw blocks,
/// integers with k/kb/m/mb/g/gb suffixes, and the booleans true/yes/on and false/no/off.
/// <para>
/// Where nats-server would refuse the text, a few HOCON forms are accepted so Broker's older files
/// still load: dotted top-level keys are nested paths, a number followed by letters (<c>10s</c>) is a
/// string, and <c>"""</c>/<c>\u</c> strings. Top-level <c>akka</c> keys are not read here: their text
/// goes to Akka's HOCON parser as written (<see cref="AkkaSection"/>).
/// </para>
/// </summary>
internal sealed class NatsConfigParser
{
    private const int MaxIncludeDepth = 10;

    private readonly string _text;
    private readonly string _source;
    private readonly string _directory;
    private readonly KeyLines _lines;
    private readonly int _depth;
    private readonly List<(HoconObject Scope, string Key)> _usedVariables;
    private readonly List<(int Start, int End)> _akkaSpans = [];
    private readonly List<HoconObject> _scopes = [];
    private int _at;
    private int _line = 1;
    private string? _key;

    private NatsConfigParser(string text, string source, string directory, KeyLines lines, int depth, List<(HoconObject, string)> usedVariables)
    {
        _text = text;
        _source = source;
        _directory = directory;
        _lines = lines;
        _depth = depth;
        _usedVariables = usedVariables;
    }

    /// <summary>Parses a whole configuration; keys used only as variables are dropped, as nats-server does not check them.</summary>
    public static HoconObject Parse(string text, string source, string directory, KeyLines lines)
    {
        var used = new List<(HoconObject, string)>();
        var root = new HoconObject();
        new NatsConfigParser(text, source, directory, lines, 0, used).ParseFile(root, "");
        foreach (var (scope, key) in used) scope.Items.Remove(key);
        return root;
    }

    private void ParseFile(HoconObject root, string prefix)
    {
        _scopes.Add(root);
        Body(root, prefix, top: true, openLine: 1);
        if (_akkaSpans.Count > 0) AkkaSection.Merge(root, _text, _akkaSpans, _source);
    }

    // ---- maps ---------------------------------------------------------------------------------

    private void Body(HoconObject target, string prefix, bool top, int openLine)
    {
        while (true)
        {
            _key = prefix.Length == 0 ? null : prefix;
            SkipSpaceAndComments(newlines: true);
            if (_at >= _text.Length)
            {
                if (top) return;
                throw Error(openLine, prefix, "'{' is never closed");
            }
            var c = _text[_at];
            if (top && c is '{' or '}' or ';' or ',')
            {
                _at++; // nats-server skips braces around the whole file, and empty terminators
                continue;
            }
            if (!top && c == '}')
            {
                _at++;
                return;
            }
            if (c is ':' or '=') throw Error(_line, _key, $"unexpected key separator '{c}'");
            if (!top && c == ']') throw Error(_line, _key, "unexpected ']' in a block");

            Field(target, prefix, top);
            EndOfValue(top);
        }
    }

    /// <summary>After a value: spaces, then a comment, a new line, ',' ';' or the closing brace.</summary>
    private void EndOfValue(bool top)
    {
        while (_at < _text.Length && _text[_at] is ' ' or '\t') _at++;
        if (_at >= _text.Length) return;
        var c = _text[_at];
        if (c is ',' or ';')
        {
            _at++;
            return;
        }
        if (c is '\n' or '\r' or '}' || IsCommentStart(_at)) return;
        throw Error(_line, _key, top
            ? $"expected a top-level value to end with a new line, comment or EOF, but got '{c}' instead"
            : $"expected a map value terminator ',' or a map terminator '}}', but got '{c}' instead");
    }

    private void Field(HoconObject target, string prefix, bool top)
    {
        var keyStart = _at;
        var keyLine = _line;
        var quoted = _text[_at] is '"' or '\'';
        var key = ReadKey();

        if (!quoted && key.Equals("include", StringComparison.OrdinalIgnoreCase) && _at < _text.Length && _text[_at] is ' ' or '\t')
        {
            Include(target, prefix, keyLine);
            return;
        }

        if (top && !quoted && (key.Equals("akka", StringComparison.OrdinalIgnoreCase) || key.StartsWith("akka.", StringComparison.OrdinalIgnoreCase)))
        {
            _lines.Set("akka", keyLine, _source);
            _akkaSpans.Add((keyStart, SkipAkkaValue(keyLine)));
            return;
        }

        // HOCON's dotted keys, where nats-server would only report an unknown top-level key.
        var segments = top && !quoted && key.Contains('.') && !key.StartsWith('.') && !key.EndsWith('.') && !key.Contains("..")
            ? key.Split('.')
            : [key];
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var segmentPath = Join(prefix, string.Join('.', segments[..(i + 1)]));
            _lines.Set(segmentPath, keyLine, _source);
            if (!target.Items.TryGetValue(segments[i], out var existing) || !existing.IsObject())
            {
                existing = ObjectValue(new HoconObject());
                target.Items[segments[i]] = existing;
            }
            target = existing.GetObject();
        }
        var path = Join(prefix, key);
        _key = path;
        _lines.Set(path, keyLine, _source);

        // The separator, or none: nats-server's `key value`.
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) Advance();
        if (_at < _text.Length && _text[_at] is ':' or '=')
        {
            _at++;
            while (_at < _text.Length && _text[_at] is ' ' or '\t') _at++;
            if (_at >= _text.Length || _text[_at] is '\n' or '\r') throw Error(keyLine, path, "expected a value but found a new line");
        }
        if (_at >= _text.Length) throw Error(keyLine, path, "the key has no value");

        target.Items[segments[^1]] = Value(path, target);
    }

    private string ReadKey()
    {
        var c = _text[_at];
        if (c is '"' or '\'')
        {
            var start = ++_at;
            var line = _line;
            while (_at < _text.Length && _text[_at] != c) Advance();
            if (_at >= _text.Length) throw Error(line, _key, "a quoted key is not closed");
            var quotedKey = _text[start.._at];
            _at++;
            return quotedKey;
        }
        var begin = _at;
        while (_at < _text.Length && !char.IsWhiteSpace(_text[_at]) && _text[_at] is not (':' or '=')) _at++;
        return _text[begin.._at];
    }

    // ---- values -------------------------------------------------------------------------------

    private HoconValue Value(string path, HoconObject scope)
    {
        var c = _text[_at];
        switch (c)
        {
            case '{':
                var openLine = _line;
                _at++;
                var block = new HoconObject();
                _scopes.Add(block);
                Body(block, path, top: false, openLine);
                _scopes.RemoveAt(_scopes.Count - 1);
                return ObjectValue(block);
            case '[':
                return ArrayValue(path, scope);
            case '\'':
                return Literal(SingleQuoted());
            case '"':
                return Literal(DoubleQuoted());
            case '(':
                return Literal(RawBlock());
            case '.':
                throw Error(_line, path, "floats must start with a digit");
        }
        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(At(_at + 1)))) return Number(path);
        return Unquoted(path);
    }

    private HoconValue ArrayValue(string path, HoconObject scope)
    {
        var openLine = _line;
        _at++;
        var array = new HoconArray();
        var elementPath = path + "[]";
        while (true)
        {
            SkipSpaceAndComments(newlines: true);
            if (_at >= _text.Length) throw Error(openLine, path, "'[' is never closed");
            var c = _text[_at];
            if (c == ']')
            {
                _at++;
                break;
            }
            if (c == ',') throw Error(_line, path, "unexpected array value terminator ','");
            if (c == '}') throw Error(_line, path, "'}' inside an array: ']' is missing");
            array.Add(Value(elementPath, scope));
            _key = path;
            while (_at < _text.Length && _text[_at] is ' ' or '\t') _at++;
            if (IsCommentStart(_at)) SkipSpaceAndComments(newlines: false);
            if (_at >= _text.Length) throw Error(openLine, path, "'[' is never closed");
            c = _text[_at];
            if (c is ',' or '\n' or '\r')
            {
                _at++;
                if (c == '\n') _line++;
                continue;
            }
            if (c == ']') continue;
            throw Error(_line, path, $"expected an array value terminator ',' or an array terminator ']', but got '{c}' instead");
        }
        // Akka's HoconValue does not count an array with no elements as an array; it parses "[ ]" as one empty element, which readers skip.
        if (array.Count == 0) array.Add(new HoconValue());
        var value = new HoconValue();
        value.AppendValue(array);
        return value;
    }

    /// <summary>An integer (with nats-server's size suffix, resolved), a float, an IP address (a string), or a date.</summary>
    private HoconValue Number(string path)
    {
        var start = _at;
        if (_text[_at] == '-') _at++;
        while (_at < _text.Length && char.IsAsciiDigit(_text[_at])) _at++;
        var isText = false;
        if (At(_at) == '.')
        {
            _at++;
            if (!char.IsAsciiDigit(At(_at))) throw Error(_line, path, $"floats must have a digit after the '.', but got '{At(_at)}' instead");
            // A second '.' makes it an address such as 127.0.0.1:4222.
            while (_at < _text.Length && (char.IsAsciiDigit(_text[_at]) || _text[_at] is '.' or ':' or '-')) _at++;
        }
        else if (At(_at) is 'k' or 'K' or 'm' or 'M' or 'g' or 'G')
        {
            _at++;
            while (At(_at) is 'b' or 'B') _at++;
        }
        // Go durations (10s, 1m30s) and anything else glued on: a string, where nats-server refuses it.
        while (_at < _text.Length && !EndsUnquoted(_at))
        {
            _at++;
            isText = true;
        }
        var text = _text[start.._at];
        if (isText || text.Contains('.')) return Literal(text);
        if (!SizeValue.TryParse(text, out var number)) throw Error(_line, path, $"integer '{text}' is out of the range");
        var value = new HoconValue();
        value.AppendValue(new NatsInteger(text, number, _line, _source));
        return value;
    }

    private HoconValue Unquoted(string path)
    {
        var start = _at;
        var value = new StringBuilder();
        var escaped = false;
        while (_at < _text.Length && !EndsUnquoted(_at) && _text[_at] != '\'')
        {
            if (_text[_at] == '\\')
            {
                escaped = true;
                value.Append(Escape(path));
                continue;
            }
            value.Append(_text[_at++]);
        }
        if (At(_at) == '\'') _at++; // nats-server ends an unquoted string at a quote and drops it
        var text = value.ToString();
        if (escaped) return Literal(text);
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on": return Literal("true");
            case "false" or "no" or "off": return Literal("false");
        }
        if (text.StartsWith('$') && start < _text.Length) return Variable(path, text[1..]);
        return Literal(text);
    }

    private HoconValue Variable(string path, string name)
    {
        // nats-server reads an unquoted bcrypt hash as itself rather than as a variable.
        if (name.StartsWith("2a$", StringComparison.Ordinal)) return Literal("$" + name);
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].Items.TryGetValue(name, out var found))
            {
                _usedVariables.Add((_scopes[i], name));
                return found;
            }
        }
        var environment = Environment.GetEnvironmentVariable(name);
        if (environment is not null)
        {
            // As nats-server: the variable's text is parsed as a value of its own.
            var lines = new KeyLines();
            var parsed = Parse($"pk={environment}", $"${name}", _directory, lines);
            if (parsed.Items.TryGetValue("pk", out var fromEnvironment)) return fromEnvironment;
        }
        throw Error(_line, path, $"variable reference for '{name}' can not be found");
    }

    private string SingleQuoted()
    {
        var line = _line;
        var start = ++_at;
        while (_at < _text.Length && _text[_at] != '\'') Advance();
        if (_at >= _text.Length) throw Error(line, _key, "a quoted string is not closed");
        return _text[start.._at++];
    }

    private string DoubleQuoted()
    {
        var line = _line;
        if (At(_at + 1) == '"' && At(_at + 2) == '"')
        {
            var close = _text.IndexOf("\"\"\"", _at + 3, StringComparison.Ordinal);
            if (close >= 0)
            {
                // HOCON's triple-quoted string.
                var raw = _text[(_at + 3)..close];
                _line += raw.Count(ch => ch == '\n');
                _at = close + 3;
                return raw;
            }
        }
        _at++;
        var value = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length) throw Error(line, _key, "a quoted string is not closed");
            var c = _text[_at];
            if (c == '"')
            {
                _at++;
                return value.ToString();
            }
            if (c == '\\')
            {
                value.Append(Escape(_key));
                continue;
            }
            Advance();
            value.Append(c);
        }
    }

    /// <summary>nats-server's escapes (\t \n \r \" \\ \xXX), and HOCON's \u and \/.</summary>
    private string Escape(string? path)
    {
        var escaped = At(_at + 1);
        _at += 2;
        switch (escaped)
        {
            case 't': return "\t";
            case 'n': return "\n";
            case 'r': return "\r";
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'x' when _at + 2 <= _text.Length && byte.TryParse(_text.AsSpan(_at, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b):
                _at += 2;
                return ((char)b).ToString();
            case 'u' when _at + 4 <= _text.Length && int.TryParse(_text.AsSpan(_at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code):
                _at += 4;
                return ((char)code).ToString();
            default:
                throw Error(_line, path, $"invalid escape character '{(escaped == '\0' ? "" : escaped.ToString())}'. Only the following escape characters are allowed: \\xXX, \\t, \\n, \\r, \\\", \\\\");
        }
    }

    /// <summary>nats-server's <c>( ... )</c>: raw text up to a ')' alone on its line.</summary>
    private string RawBlock()
    {
        var line = _line;
        var start = ++_at;
        while (_at < _text.Length)
        {
            if (_text[_at] == ')' && _at > 0 && _text[_at - 1] == '\n' && (At(_at + 1) is '\n' or '\0' || (At(_at + 1) == '\r' && At(_at + 2) == '\n')))
            {
                var raw = _text[start..(_at - 1)];
                _at++;
                return raw;
            }
            Advance();
        }
        throw Error(line, _key, "a '(' block is never closed by a ')' on a line of its own");
    }

    // ---- include ------------------------------------------------------------------------------

    private void Include(HoconObject target, string prefix, int line)
    {
        while (_at < _text.Length && _text[_at] is ' ' or '\t') _at++;
        if (_at >= _text.Length || _text[_at] is '\n' or '\r') throw Error(line, _key, "expected include value but found new line");
        var c = _text[_at];
        string name;
        if (c is '"' or '\'')
        {
            var start = ++_at;
            while (_at < _text.Length && _text[_at] != c) Advance();
            if (_at >= _text.Length) throw Error(line, _key, "the include file name is not closed");
            name = _text[start.._at++];
        }
        else
        {
            if (c is '[' or '{' or '(' || char.IsAsciiDigit(c) || c == '-') throw Error(line, _key, $"expected include value but found '{c}'");
            var start = _at;
            while (_at < _text.Length && !char.IsWhiteSpace(_text[_at]) && _text[_at] is not (';' or '}' or '\'')) _at++;
            name = _text[start.._at];
        }
        if (_depth >= MaxIncludeDepth) throw Error(line, "include", $"includes nest deeper than {MaxIncludeDepth} files (a cycle?)");

        var path = Path.Combine(_directory, name);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException(_source, line, "include", $"cannot read the included file '{name}': {e.Message}");
        }
        var included = new NatsConfigParser(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!, _lines, _depth + 1, _usedVariables);
        // The included file's keys land in the block that includes it, as in nats-server.
        var inner = new HoconObject();
        included._scopes.AddRange(_scopes);
        included.ParseFile(inner, prefix);
        foreach (var (key, value) in inner.Items)
        {
            if (key.Equals("akka", StringComparison.OrdinalIgnoreCase) && target.Items.TryGetValue(key, out var earlier) && earlier.IsObject() && value.IsObject())
            {
                AkkaSection.MergeInto(earlier.GetObject(), value.GetObject());
                continue;
            }
            target.Items[key] = value;
        }
        // Keys the included file defined and something used as a variable now live in target: drop them there.
        for (var i = 0; i < _usedVariables.Count; i++)
        {
            if (ReferenceEquals(_usedVariables[i].Scope, inner)) _usedVariables[i] = (target, _usedVariables[i].Key);
        }
    }

    // ---- akka ---------------------------------------------------------------------------------

    /// <summary>Skips an <c>akka</c> key's value without reading it: a block up to its matching brace, or the rest of the line.</summary>
    private int SkipAkkaValue(int keyLine)
    {
        while (_at < _text.Length && _text[_at] is ' ' or '\t' or ':' or '=') _at++;
        if (At(_at) != '{')
        {
            while (_at < _text.Length && _text[_at] is not ('\n' or '\r') && !IsCommentStart(_at)) _at++;
            return _at;
        }
        var depth = 0;
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (c == '"')
            {
                if (At(_at + 1) == '"' && At(_at + 2) == '"')
                {
                    var close = _text.IndexOf("\"\"\"", _at + 3, StringComparison.Ordinal);
                    if (close < 0) break;
                    while (_at < close + 3) Advance();
                    continue;
                }
                _at++;
                while (_at < _text.Length && _text[_at] is not ('"' or '\n'))
                {
                    if (_text[_at] == '\\') _at++;
                    _at++;
                }
                _at++;
                continue;
            }
            if (IsCommentStart(_at))
            {
                while (_at < _text.Length && _text[_at] != '\n') _at++;
                continue;
            }
            Advance();
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return _at;
        }
        throw Error(keyLine, "akka", "'{' is never closed");
    }

    // ---- characters ---------------------------------------------------------------------------

    private void SkipSpaceAndComments(bool newlines)
    {
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (c == '\n' && !newlines) return;
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                Advance();
                continue;
            }
            if (IsCommentStart(_at))
            {
                while (_at < _text.Length && _text[_at] != '\n') _at++;
                continue;
            }
            return;
        }
    }

    private bool IsCommentStart(int at) => At(at) == '#' || (At(at) == '/' && At(at + 1) == '/');

    private bool EndsUnquoted(int at) => _text[at] is '\n' or '\r' or ';' or ',' or ']' or '}' or ' ' or '\t';

    private void Advance()
    {
        if (_text[_at] == '\n') _line++;
        _at++;
    }

    private char At(int index) => index < _text.Length ? _text[index] : '\0';

    private ConfigurationException Error(int line, string? key, string problem) => new(_source, line, key, problem);

    private HoconValue Literal(string text)
    {
        var value = new HoconValue();
        value.AppendValue(new LocatedLiteral(text, _line, _source));
        return value;
    }

    private static HoconValue ObjectValue(HoconObject block)
    {
        var value = new HoconValue();
        value.AppendValue(block);
        return value;
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}.{key}";
}

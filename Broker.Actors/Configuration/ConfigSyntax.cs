using System.Text;

namespace Broker.Configuration;

/// <summary>
/// A strict syntax check of the <c>akka</c> keys' HOCON text (see <see cref="NatsFormat.AkkaSection"/>),
/// run before Akka's parser sees it. Akka's parser accepts
/// broken input silently (an unclosed string, a key without a value, <c>a = = 3</c>), hangs on an
/// unclosed array followed by <c>}</c>, and overflows the stack on a substitution cycle; this check
/// refuses all of those with the line named, and records the line of every key on the way.
/// <para>
/// Accepted: objects (<c>key { }</c>, <c>key: { }</c>, <c>key = { }</c>), arrays, quoted and
/// triple-quoted strings, unquoted values, dotted keys, <c>#</c> and <c>//</c> comments, fields
/// separated by new lines or commas. Refused with a message: <c>include</c>, substitutions
/// (<c>${...}</c>), <c>+=</c>, <c>;</c> (nats-server's terminator), nats-server's <c>key value</c>
/// form without <c>:</c> or <c>=</c>, and unquoted values holding <c>:</c> or <c>=</c>.
/// </para>
/// </summary>
internal static class ConfigSyntax
{
    /// <summary>Checks <paramref name="text"/>; throws <see cref="ConfigurationException"/> on the first problem.</summary>
    public static KeyLines Check(string text, string sourceName)
    {
        var checker = new Checker(text, sourceName);
        checker.Root();
        return checker.Lines;
    }

    private enum Kind { Text, Quoted, OpenBrace, CloseBrace, OpenBracket, CloseBracket, Comma, Colon, Equals, Newline, End }

    private readonly record struct Token(Kind Kind, string Value, int Line, int Start, bool SpaceBefore);

    private sealed class Checker(string text, string sourceName)
    {
        private readonly List<Token> _tokens = [];
        private int _next;
        private int _at;
        private int _line = 1;

        /// <summary>The key being read, to name it in errors found while lexing its value.</summary>
        private string? _key;

        public KeyLines Lines { get; } = new();

        public void Root()
        {
            SkipNewlines();
            if (Peek().Kind == Kind.OpenBrace)
            {
                var open = Take();
                ObjectBody("", Kind.CloseBrace, open.Line);
                Take();
                SkipNewlines();
                if (Peek() is { Kind: not Kind.End } extra) throw Error(extra.Line, null, $"unexpected {Describe(extra)} after the closing '}}' of the file");
            }
            else
            {
                ObjectBody("", Kind.End, 1);
            }
        }

        // ---- grammar ------------------------------------------------------------------------

        private void ObjectBody(string prefix, Kind closer, int openLine)
        {
            while (true)
            {
                _key = NullIfEmpty(prefix);
                SkipNewlines();
                var token = Peek();
                if (token.Kind == closer) return;
                switch (token.Kind)
                {
                    case Kind.End:
                        throw Error(openLine, NullIfEmpty(prefix), "not valid HOCON: '{' is never closed");
                    case Kind.CloseBrace:
                        throw Error(token.Line, null, "not valid HOCON: '}' without a matching '{'");
                    case Kind.CloseBracket:
                        throw Error(token.Line, null, "not valid HOCON: ']' without a matching '['");
                }

                var key = Field(prefix);
                var after = Peek();
                if (after.Kind == Kind.Comma)
                {
                    Take();
                    if (Peek() is { Kind: Kind.Comma } second) throw Error(second.Line, key, "not valid HOCON: two ',' in a row");
                }
                else if (after.Kind == Kind.CloseBrace && closer != Kind.CloseBrace)
                {
                    throw Error(after.Line, null, "not valid HOCON: '}' without a matching '{'");
                }
                else if (after.Kind != Kind.Newline && after.Kind != closer && after.Kind != Kind.End)
                {
                    throw Error(after.Line, key, $"not valid HOCON: expected a new line or ',' after the value, found {Describe(after)}");
                }
            }
        }

        /// <summary>One <c>key: value</c> or <c>key { ... }</c>; returns the key's dotted path.</summary>
        private string Field(string prefix)
        {
            var first = Peek();
            if (first is { Kind: Kind.Text, Value: "include" } && Peek(1).Kind == Kind.Quoted)
            {
                throw Error(first.Line, null, "'include' is not supported: put everything in one file");
            }
            if (first.Kind is not (Kind.Text or Kind.Quoted))
            {
                throw Error(first.Line, NullIfEmpty(prefix), $"not valid HOCON: expected a key, found {Describe(first)}");
            }

            var segments = new List<string>();
            var current = new StringBuilder();
            var words = new List<string>();
            var spaced = false;
            while (Peek().Kind is Kind.Text or Kind.Quoted)
            {
                var part = Take();
                if (part.SpaceBefore && words.Count > 0)
                {
                    spaced = true;
                    current.Append(' ');
                }
                words.Add(part.Value);
                if (part.Kind == Kind.Quoted)
                {
                    current.Append(part.Value);
                    continue;
                }
                var pieces = part.Value.Split('.');
                current.Append(pieces[0]);
                for (var i = 1; i < pieces.Length; i++)
                {
                    segments.Add(current.ToString());
                    current.Clear().Append(pieces[i]);
                }
            }
            segments.Add(current.ToString());
            var path = Join(prefix, string.Join('.', segments));
            _key = path;
            if (segments.Any(s => s.Trim().Length == 0))
            {
                throw Error(first.Line, path, "not valid HOCON: a key has an empty part (check the dots)");
            }

            var separator = Peek();
            switch (separator.Kind)
            {
                case Kind.OpenBrace:
                    Lines.Set(path, first.Line);
                    ObjectValue(path);
                    return path;
                case Kind.Colon:
                case Kind.Equals:
                    Take();
                    Lines.Set(path, first.Line);
                    Value(path, separator);
                    return path;
                default:
                    if (spaced && words.Count >= 2)
                    {
                        var name = Join(prefix, words[0]);
                        var rest = string.Join(' ', words.Skip(1));
                        throw Error(first.Line, name, $"not valid HOCON: put ':' or '=' between a key and its value, e.g. {words[0]}: {rest}");
                    }
                    throw Error(first.Line, path, $"not valid HOCON: the key has no value (expected ':', '=' or '{{', found {Describe(separator)})");
            }
        }

        private void Value(string path, Token separator)
        {
            var token = Peek();
            switch (token.Kind)
            {
                case Kind.OpenBrace:
                    ObjectValue(path);
                    return;
                case Kind.OpenBracket:
                    ArrayValue(path);
                    return;
                case Kind.Text or Kind.Quoted:
                    SimpleValue(path);
                    return;
                case Kind.Colon or Kind.Equals:
                    throw Error(token.Line, path, $"not valid HOCON: {Describe(token)} after '{separator.Value}'");
                default:
                    throw Error(separator.Line, path, $"not valid HOCON: no value after '{separator.Value}'");
            }
        }

        private void SimpleValue(string path)
        {
            var start = Peek();
            var last = start;
            while (Peek().Kind is Kind.Text or Kind.Quoted) last = Take();
            var after = Peek();
            if (after.Kind is Kind.Colon or Kind.Equals)
            {
                if (last.Kind == Kind.Text && !after.SpaceBefore)
                {
                    var raw = RawValue(start);
                    throw Error(after.Line, path, $"not valid HOCON: a value holding '{after.Value}' must be quoted, e.g. {Leaf(path)}: \"{raw}\"");
                }
                throw Error(after.Line, path, $"not valid HOCON: unexpected {Describe(after)} in the value");
            }
            if (after.Kind is Kind.OpenBrace or Kind.OpenBracket)
            {
                throw Error(after.Line, path, $"not valid HOCON: unexpected {Describe(after)} after a value");
            }
        }

        private void ObjectValue(string path)
        {
            var open = Take();
            ObjectBody(path, Kind.CloseBrace, open.Line);
            Take();
        }

        private void ArrayValue(string path)
        {
            var open = Take();
            while (true)
            {
                SkipNewlines();
                var token = Peek();
                switch (token.Kind)
                {
                    case Kind.CloseBracket:
                        Take();
                        return;
                    case Kind.End:
                        throw Error(open.Line, path, "not valid HOCON: '[' is never closed");
                    case Kind.CloseBrace:
                        throw Error(token.Line, path, "not valid HOCON: '}' inside an array: ']' is missing");
                    case Kind.OpenBrace:
                        var element = Take();
                        ObjectBody($"{path}[]", Kind.CloseBrace, element.Line);
                        Take();
                        break;
                    case Kind.OpenBracket:
                        ArrayValue(path);
                        break;
                    case Kind.Text or Kind.Quoted:
                        SimpleValue(path);
                        break;
                    default:
                        throw Error(token.Line, path, $"not valid HOCON: unexpected {Describe(token)} in an array");
                }

                var after = Peek();
                if (after.Kind == Kind.Comma)
                {
                    Take();
                    if (Peek() is { Kind: Kind.Comma } second) throw Error(second.Line, path, "not valid HOCON: two ',' in a row");
                }
                else if (after.Kind is not (Kind.Newline or Kind.CloseBracket))
                {
                    throw Error(after.Line, path, $"not valid HOCON: expected ',' or ']' in the array, found {Describe(after)}");
                }
            }
        }

        private void SkipNewlines()
        {
            while (Peek().Kind == Kind.Newline) Take();
        }

        // ---- tokens -------------------------------------------------------------------------

        private Token Peek(int ahead = 0)
        {
            while (_tokens.Count <= _next + ahead)
            {
                if (_tokens.Count > 0 && _tokens[^1].Kind == Kind.End) return _tokens[^1];
                _tokens.Add(Lex());
            }
            return _tokens[_next + ahead];
        }

        private Token Take()
        {
            var token = Peek();
            if (token.Kind != Kind.End) _next++;
            return token;
        }

        private Token Lex()
        {
            var space = false;
            while (_at < text.Length)
            {
                var c = text[_at];
                if (c == '\n')
                {
                    var newline = new Token(Kind.Newline, "\n", _line, _at, space);
                    _at++;
                    _line++;
                    return newline;
                }
                if (c == '#' || (c == '/' && At(_at + 1) == '/'))
                {
                    while (_at < text.Length && text[_at] != '\n') _at++;
                    continue;
                }
                if (char.IsWhiteSpace(c) || c == '\uFEFF')
                {
                    space = true;
                    _at++;
                    continue;
                }

                var start = _at;
                switch (c)
                {
                    case '{': _at++; return new Token(Kind.OpenBrace, "{", _line, start, space);
                    case '}': _at++; return new Token(Kind.CloseBrace, "}", _line, start, space);
                    case '[': _at++; return new Token(Kind.OpenBracket, "[", _line, start, space);
                    case ']': _at++; return new Token(Kind.CloseBracket, "]", _line, start, space);
                    case ',': _at++; return new Token(Kind.Comma, ",", _line, start, space);
                    case ':': _at++; return new Token(Kind.Colon, ":", _line, start, space);
                    case '=': _at++; return new Token(Kind.Equals, "=", _line, start, space);
                    case '"':
                        return At(_at + 1) == '"' && At(_at + 2) == '"' ? TripleQuoted(space) : Quoted(space);
                    case '+' when At(_at + 1) == '=':
                        throw Error(_line, _key, "'+=' is not supported: write the whole value");
                    case '$' when At(_at + 1) == '{':
                        throw Error(_line, _key, "substitutions (${...}) are not supported: write the value itself");
                    case '$':
                        throw Error(_line, _key, "variables ($NAME) are not supported: write the value itself");
                    case ';':
                        throw Error(_line, _key, "not valid HOCON: ';' is nats-server syntax: end the line (or use ',') instead");
                }
                if (IsForbidden(c))
                {
                    throw Error(_line, _key, $"not valid HOCON: unexpected '{c}': put the value in double quotes");
                }
                while (_at < text.Length && !EndsUnquoted(_at)) _at++;
                return new Token(Kind.Text, text[start.._at], _line, start, space);
            }
            return new Token(Kind.End, "", _line, _at, space);
        }

        private Token Quoted(bool space)
        {
            var start = _at;
            var line = _line;
            var value = new StringBuilder();
            _at++;
            while (true)
            {
                if (_at >= text.Length || text[_at] == '\n') throw Error(line, _key, "not valid HOCON: a quoted string is not closed on its line");
                var c = text[_at++];
                if (c == '"') return new Token(Kind.Quoted, value.ToString(), line, start, space);
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                var escaped = At(_at);
                _at++;
                switch (escaped)
                {
                    case '"' or '\\' or '/': value.Append(escaped); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'u' when _at + 4 <= text.Length && int.TryParse(text.AsSpan(_at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code):
                        value.Append((char)code);
                        _at += 4;
                        break;
                    default:
                        throw Error(line, _key, $"not valid HOCON: unknown escape '\\{(escaped == '\0' ? "" : escaped.ToString())}' in a quoted string (write '\\\\' for a backslash)");
                }
            }
        }

        private Token TripleQuoted(bool space)
        {
            var start = _at;
            var line = _line;
            _at += 3;
            var close = text.IndexOf("\"\"\"", _at, StringComparison.Ordinal);
            if (close < 0) throw Error(line, _key, "not valid HOCON: a \"\"\" string is never closed");
            while (At(close + 3) == '"') close++;
            var value = text[_at..close];
            _line += value.Count(c => c == '\n');
            _at = close + 3;
            return new Token(Kind.Quoted, value, line, start, space);
        }

        private bool EndsUnquoted(int at)
        {
            var c = text[at];
            return char.IsWhiteSpace(c) || c == '\uFEFF' || IsForbidden(c)
                || c is '{' or '}' or '[' or ']' or ',' or ':' or '=' or '"' or '#' or ';'
                || (c == '/' && At(at + 1) == '/')
                || (c == '+' && At(at + 1) == '=');
        }

        /// <summary>Characters HOCON (and Akka's tokenizer) refuse in unquoted text.</summary>
        private static bool IsForbidden(char c) => c is '$' or '*' or '?' or '!' or '&' or '^' or '`' or '\\' or '@';

        private char At(int index) => index < text.Length ? text[index] : '\0';

        // ---- messages -----------------------------------------------------------------------

        private ConfigurationException Error(int line, string? key, string problem) => new(sourceName, line, key, problem);

        /// <summary>The value as written from <paramref name="start"/> to the end of its line, for a quoting hint.</summary>
        private string RawValue(Token start)
        {
            var end = text.IndexOf('\n', start.Start);
            var raw = text[start.Start..(end < 0 ? text.Length : end)];
            var comment = raw.IndexOf(" #", StringComparison.Ordinal);
            if (comment >= 0) raw = raw[..comment];
            return raw.Trim().TrimEnd(',');
        }

        private static string Describe(Token token) => token.Kind switch
        {
            Kind.Newline => "the end of the line",
            Kind.End => "the end of the file",
            Kind.Text or Kind.Quoted => $"\"{token.Value}\"",
            _ => $"'{token.Value}'",
        };

        private static string Join(string prefix, string key) => prefix.Length == 0 ? key : $"{prefix}.{key}";

        private static string Leaf(string path) => path[(path.LastIndexOf('.') + 1)..];

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
    }
}

using System.Globalization;
using System.Text;

namespace DnnOpt.Sizing.Problems;

/// <summary>
/// Reads the YAML subset problem files use, keeping line numbers for messages: block mappings (<c>key: value</c>),
/// block sequences (<c>- item</c>, including <c>- key: value</c> items), flow sequences and mappings
/// (<c>[a, b]</c>, <c>{k: v}</c>, which may span lines), plain, <c>'single'</c> and <c>"double"</c> quoted scalars,
/// and <c>#</c> comments. Anchors, aliases, tags, block scalars (<c>|</c>, <c>&gt;</c>) and multiple documents are not
/// part of the subset and are reported as errors, as are tabs in indentation and duplicate keys.
/// </summary>
/// <remarks>
/// A hand-written reader rather than a YAML package: problem files need only this subset, and the engine stays free
/// of dependencies beyond its declared package set. Every error is a <see cref="SizingProblemException"/> whose
/// message starts with <c>file:line:</c>.
/// </remarks>
public static class YamlReader
{
    /// <summary>Parses a document.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="fileName">Name used in messages.</param>
    /// <returns>The root node (an empty mapping for an empty document).</returns>
    /// <exception cref="SizingProblemException">Malformed or unsupported YAML; the message names file and line.</exception>
    public static YamlNode Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var state = new State(Lines(text, fileName), fileName);
        if (state.AtEnd)
        {
            return new YamlMapping([], 1);
        }

        YamlNode root = state.ParseBlock(state.Current.Indent);
        if (!state.AtEnd)
        {
            throw state.Error(state.Current.Number, $"unexpected '{state.Current.Content}' (check the indentation)");
        }

        return root;
    }

    internal static SizingProblemException Error(string file, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}: {message}"));

    private static List<Line> Lines(string text, string file)
    {
        var lines = new List<Line>();
        string[] raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            string s = raw[i];
            int number = i + 1;
            int indent = 0;
            while (indent < s.Length && (s[indent] == ' ' || s[indent] == '\t'))
            {
                if (s[indent] == '\t')
                {
                    throw Error(file, number, "tab in indentation (use spaces)");
                }

                indent++;
            }

            string content = StripComment(s[indent..]).TrimEnd();
            if (content.Length == 0)
            {
                continue;
            }

            if (content is "---" or "..." || content.StartsWith("--- ", StringComparison.Ordinal) || content.StartsWith('%'))
            {
                if (lines.Count == 0 && content == "---")
                {
                    continue;
                }

                throw Error(file, number, "only one YAML document per problem file (no '---', '...' or directives)");
            }

            lines.Add(new Line(number, indent, content));
        }

        return lines;
    }

    /// <summary>Removes a <c>#</c> comment that starts a line or follows whitespace, outside quotes.</summary>
    private static string StripComment(string s)
    {
        char quote = '\0';
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"')
                {
                    i++;
                }

                continue;
            }

            if ((c == '\'' || c == '"') && (i == 0 || " [{,:".Contains(s[i - 1], StringComparison.Ordinal)))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || s[i - 1] == ' '))
            {
                return s[..i];
            }
        }

        return s;
    }

    private readonly record struct Line(int Number, int Indent, string Content);

    private sealed class State(List<Line> lines, string file)
    {
        private int _next;

        public bool AtEnd => _next >= lines.Count;

        public Line Current => lines[_next];

        public SizingProblemException Error(int line, string message) => YamlReader.Error(file, line, message);

        /// <summary>Parses the block node whose first line is the current one, at exactly <paramref name="indent"/>.</summary>
        public YamlNode ParseBlock(int indent)
        {
            Line first = Current;
            if (IsSequenceItem(first.Content))
            {
                return ParseSequence(indent);
            }

            if (FindMappingColon(first.Content, first.Number) >= 0)
            {
                return ParseMapping(indent);
            }

            _next++;
            YamlNode value = ParseInline(first.Content, first.Number);
            if (!AtEnd && Current.Indent > indent)
            {
                throw Error(Current.Number, $"unexpected indented line after {value.Describe()}");
            }

            return value;
        }

        private static bool IsSequenceItem(string content) => content == "-" || content.StartsWith("- ", StringComparison.Ordinal);

        private YamlSequence ParseSequence(int indent)
        {
            int start = Current.Number;
            var items = new List<YamlNode>();
            while (!AtEnd && Current.Indent == indent && IsSequenceItem(Current.Content))
            {
                Line line = Current;
                string rest = line.Content.Length > 1 ? line.Content[2..].TrimStart() : string.Empty;
                if (rest.Length == 0)
                {
                    _next++;
                    items.Add(!AtEnd && Current.Indent > indent ? ParseBlock(Current.Indent) : new YamlScalar(string.Empty, false, line.Number));
                    continue;
                }

                // "- key: value" (or "- - x") opens a nested block whose column is where the item's text starts.
                int column = line.Indent + (line.Content.Length - rest.Length);
                if (IsSequenceItem(rest) || FindMappingColon(rest, line.Number) >= 0)
                {
                    lines[_next] = new Line(line.Number, column, rest);
                    items.Add(ParseBlock(column));
                    continue;
                }

                _next++;
                items.Add(ParseInlineWithContinuation(rest, line.Number, indent));
            }

            if (!AtEnd && Current.Indent > indent)
            {
                throw Error(Current.Number, "unexpected indentation inside a list");
            }

            return new YamlSequence(items, start);
        }

        private YamlMapping ParseMapping(int indent)
        {
            int start = Current.Number;
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            while (!AtEnd && Current.Indent == indent)
            {
                Line line = Current;
                if (IsSequenceItem(line.Content))
                {
                    throw Error(line.Number, "a list item where a 'key: value' entry was expected");
                }

                int colon = FindMappingColon(line.Content, line.Number);
                if (colon < 0)
                {
                    throw Error(line.Number, $"expected 'key: value', found '{line.Content}'");
                }

                YamlScalar key = Key(line.Content[..colon], line.Number);
                if (!seen.TryAdd(key.Value, line.Number))
                {
                    throw Error(line.Number, $"key '{key.Value}' given twice (first on line {seen[key.Value]})");
                }

                string rest = line.Content[(colon + 1)..].Trim();
                _next++;
                YamlNode value;
                if (rest.Length > 0)
                {
                    value = ParseInlineWithContinuation(rest, line.Number, indent);
                }
                else if (!AtEnd && Current.Indent > indent)
                {
                    value = ParseBlock(Current.Indent);
                }
                else if (!AtEnd && Current.Indent == indent && IsSequenceItem(Current.Content))
                {
                    // "key:" followed by "- item" lines at the same indentation is a list (common YAML style).
                    value = ParseSequence(indent);
                }
                else
                {
                    value = new YamlScalar(string.Empty, false, line.Number);
                }

                entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, value));
            }

            if (!AtEnd && Current.Indent > indent)
            {
                throw Error(Current.Number, "unexpected indentation inside a mapping");
            }

            return new YamlMapping(entries, start);
        }

        private YamlScalar Key(string text, int line)
        {
            string k = text.Trim();
            if (k.Length == 0)
            {
                throw Error(line, "empty key");
            }

            var cursor = new Cursor(k, line, this);
            YamlNode node = cursor.ParseFlowValue(inFlow: false, stopAtColon: false);
            cursor.SkipSpaces();
            if (node is not YamlScalar s || !cursor.AtEnd)
            {
                throw Error(line, $"key '{k}' must be a plain or quoted scalar");
            }

            return s;
        }

        /// <summary>An inline value; a flow collection that is not closed continues on the following lines.</summary>
        private YamlNode ParseInlineWithContinuation(string text, int line, int parentIndent)
        {
            if (text[0] is '&' or '*' or '!' or '|' or '>')
            {
                throw Error(line, $"'{text[0]}' (anchors, aliases, tags, block scalars) is not supported in problem files");
            }

            if (text[0] is '[' or '{')
            {
                var sb = new StringBuilder(text);
                while (!Balanced(sb.ToString()) && !AtEnd && Current.Indent > parentIndent)
                {
                    sb.Append(' ').Append(Current.Content);
                    _next++;
                }

                text = sb.ToString();
            }
            else if (!AtEnd && Current.Indent > parentIndent && !IsSequenceItem(Current.Content) && FindMappingColon(Current.Content, Current.Number) < 0)
            {
                throw Error(Current.Number, "multi-line plain scalars are not supported: put the value on one line or quote it");
            }

            return ParseInline(text, line);
        }

        private static bool Balanced(string s)
        {
            int depth = 0;
            char quote = '\0';
            foreach (char c in s)
            {
                if (quote != '\0')
                {
                    quote = c == quote ? '\0' : quote;
                }
                else if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c is '[' or '{')
                {
                    depth++;
                }
                else if (c is ']' or '}')
                {
                    depth--;
                }
            }

            return depth <= 0;
        }

        public YamlNode ParseInline(string text, int line)
        {
            var cursor = new Cursor(text, line, this);
            YamlNode node = cursor.ParseFlowValue(inFlow: false, stopAtColon: false);
            cursor.SkipSpaces();
            if (!cursor.AtEnd)
            {
                throw Error(line, $"unexpected '{text[cursor.Position..]}' after the value");
            }

            return node;
        }

        /// <summary>
        /// Position of the colon that makes a line <c>key: value</c> (a colon followed by a space or the line end,
        /// outside quotes and brackets), or -1.
        /// </summary>
        public int FindMappingColon(string s, int line)
        {
            if (s[0] is '[' or '{')
            {
                return -1;
            }

            char quote = '\0';
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }

                    continue;
                }

                if ((c == '\'' || c == '"') && i == 0)
                {
                    quote = c;
                }
                else if (c == ':' && (i + 1 == s.Length || s[i + 1] == ' '))
                {
                    return i;
                }
                else if (i == 0 && c is '&' or '*' or '!' or '|' or '>')
                {
                    throw Error(line, $"'{c}' (anchors, aliases, tags, block scalars) is not supported in problem files");
                }
            }

            return -1;
        }
    }

    /// <summary>Character-level reader for inline values: scalars and flow collections.</summary>
    private sealed class Cursor(string text, int line, State state)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= text.Length;

        public void SkipSpaces()
        {
            while (Position < text.Length && text[Position] == ' ')
            {
                Position++;
            }
        }

        public YamlNode ParseFlowValue(bool inFlow, bool stopAtColon)
        {
            SkipSpaces();
            if (AtEnd)
            {
                return new YamlScalar(string.Empty, false, line);
            }

            char c = text[Position];
            switch (c)
            {
                case '[':
                    return ParseFlowSequence();
                case '{':
                    return ParseFlowMapping();
                case '\'':
                    return new YamlScalar(SingleQuoted(), true, line);
                case '"':
                    return new YamlScalar(DoubleQuoted(), true, line);
                case '&' or '*' or '!' or '|' or '>':
                    throw state.Error(line, $"'{c}' (anchors, aliases, tags, block scalars) is not supported in problem files");
                default:
                    return new YamlScalar(Plain(inFlow, stopAtColon), false, line);
            }
        }

        private string Plain(bool inFlow, bool stopAtColon)
        {
            int start = Position;
            while (Position < text.Length)
            {
                char c = text[Position];
                if (inFlow && c is ',' or ']' or '}')
                {
                    break;
                }

                if (stopAtColon && c == ':' && (Position + 1 == text.Length || text[Position + 1] is ' ' or ',' or '}' or ']'))
                {
                    break;
                }

                Position++;
            }

            return text[start..Position].Trim();
        }

        private string SingleQuoted()
        {
            var sb = new StringBuilder();
            Position++;
            while (true)
            {
                if (Position >= text.Length)
                {
                    throw state.Error(line, "unterminated 'single-quoted' string");
                }

                char c = text[Position++];
                if (c == '\'')
                {
                    if (Position < text.Length && text[Position] == '\'')
                    {
                        sb.Append('\'');
                        Position++;
                        continue;
                    }

                    return sb.ToString();
                }

                sb.Append(c);
            }
        }

        private string DoubleQuoted()
        {
            var sb = new StringBuilder();
            Position++;
            while (true)
            {
                if (Position >= text.Length)
                {
                    throw state.Error(line, "unterminated \"double-quoted\" string");
                }

                char c = text[Position++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c == '\\')
                {
                    if (Position >= text.Length)
                    {
                        throw state.Error(line, "unterminated \"double-quoted\" string");
                    }

                    char e = text[Position++];
                    sb.Append(e switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        '\\' => '\\',
                        '"' => '"',
                        '/' => '/',
                        _ => throw state.Error(line, $"unsupported escape '\\{e}' in a double-quoted string"),
                    });
                    continue;
                }

                sb.Append(c);
            }
        }

        private YamlSequence ParseFlowSequence()
        {
            Position++;
            var items = new List<YamlNode>();
            SkipSpaces();
            if (Peek() == ']')
            {
                Position++;
                return new YamlSequence(items, line);
            }

            while (true)
            {
                items.Add(ParseFlowValue(inFlow: true, stopAtColon: false));
                SkipSpaces();
                char c = Peek();
                Position++;
                if (c == ']')
                {
                    return new YamlSequence(items, line);
                }

                if (c != ',')
                {
                    throw state.Error(line, c == '\0' ? "unclosed '[' list" : $"expected ',' or ']' in a list, found '{c}'");
                }
            }
        }

        private YamlMapping ParseFlowMapping()
        {
            Position++;
            var entries = new List<KeyValuePair<YamlScalar, YamlNode>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            SkipSpaces();
            if (Peek() == '}')
            {
                Position++;
                return new YamlMapping(entries, line);
            }

            while (true)
            {
                if (ParseFlowValue(inFlow: true, stopAtColon: true) is not YamlScalar key || key.Value.Length == 0)
                {
                    throw state.Error(line, "expected a key in '{...}'");
                }

                SkipSpaces();
                if (Peek() != ':')
                {
                    throw state.Error(line, $"expected ':' after key '{key.Value}' in '{{...}}'");
                }

                Position++;
                if (!seen.Add(key.Value))
                {
                    throw state.Error(line, $"key '{key.Value}' given twice");
                }

                entries.Add(new KeyValuePair<YamlScalar, YamlNode>(key, ParseFlowValue(inFlow: true, stopAtColon: false)));
                SkipSpaces();
                char c = Peek();
                Position++;
                if (c == '}')
                {
                    return new YamlMapping(entries, line);
                }

                if (c != ',')
                {
                    throw state.Error(line, c == '\0' ? "unclosed '{' mapping" : $"expected ',' or '}}' in a mapping, found '{c}'");
                }
            }
        }

        private char Peek() => Position < text.Length ? text[Position] : '\0';
    }
}

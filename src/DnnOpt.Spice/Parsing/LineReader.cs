using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Parsing;

/// <summary>One logical netlist line: continuation lines joined, comments removed, lower-cased.</summary>
/// <param name="Text">The text.</param>
/// <param name="Location">File and first physical line.</param>
internal readonly record struct LogicalLine(string Text, SourceLocation Location);

/// <summary>
/// Turns netlist text into logical lines: the title line, <c>*</c> comment lines, inline <c>;</c>, <c>$</c> and
/// <c>//</c> comments, <c>+</c> continuation, <c>.include</c>, <c>.lib file section</c> with <c>.lib name</c> ...
/// <c>.endl</c> blocks, <c>.control</c> ... <c>.endc</c> blocks (skipped: scripts are not netlist) and <c>.end</c>.
/// </summary>
internal sealed class LineReader
{
    private const int MaxIncludeDepth = 32;
    private readonly Func<string, string> _loadFile;
    private readonly List<LogicalLine> _lines = [];
    private readonly List<string> _warnings;

    private LineReader(Func<string, string> loadFile, List<string> warnings)
    {
        _loadFile = loadFile;
        _warnings = warnings;
    }

    /// <summary>Reads a top-level deck.</summary>
    /// <param name="text">Deck text.</param>
    /// <param name="fileName">File name for messages and relative includes.</param>
    /// <param name="loadFile">Reads an included file by full path (throws <see cref="IOException"/> when missing).</param>
    /// <param name="warnings">Receives remarks about skipped blocks.</param>
    /// <param name="title">The first line.</param>
    /// <returns>The logical lines after the title, up to <c>.end</c>.</returns>
    public static List<LogicalLine> ReadDeck(string text, string fileName, Func<string, string> loadFile, List<string> warnings, out string title)
    {
        var reader = new LineReader(loadFile, warnings);
        ReadOnlySpan<char> rest = text;
        title = NextLine(ref rest, out _).Trim().ToString();
        reader.ReadFile(text, 1, fileName, depth: 0, section: null);
        return reader._lines;
    }

    /// <summary>
    /// The physical line at the start of <paramref name="rest"/>, which moves past it and its break (<c>\r\n</c>,
    /// <c>\r</c> or <c>\n</c>); <paramref name="more"/> is false for the last line (text ending in a break has an
    /// empty last line, as splitting at the breaks gives).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<char> NextLine(scoped ref ReadOnlySpan<char> rest, out bool more)
    {
        int end = rest.IndexOfAny('\r', '\n');
        if (end < 0)
        {
            ReadOnlySpan<char> last = rest;
            rest = default;
            more = false;
            return last;
        }

        ReadOnlySpan<char> line = rest[..end];
        int next = rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? end + 2 : end + 1;
        rest = rest[next..];
        more = true;
        return line;
    }

    /// <summary>The first word (up to a space or tab) of a logical line, which is never empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<char> FirstWord(string text)
    {
        int end = text.AsSpan().IndexOfAny(' ', '\t');
        return end < 0 ? text : text.AsSpan(0, end);
    }

    private static string[] Words(string text) => text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadFile(string text, int firstLine, string fileName, int depth, string? section)
    {
        List<LogicalLine> logical = JoinLines(text, firstLine, fileName, out int physicalCount);
        bool inSection = section is null;
        bool sectionFound = section is null;
        string? skippingLibBlock = null;
        SourceLocation libStart = default;
        bool inControl = false;
        for (int i = 0; i < logical.Count; i++)
        {
            LogicalLine line = logical[i];
            // A lower-case line is returned as is (no copy); the words are split only for the directives that read them.
            string lower = line.Text.ToLowerInvariant();
            ReadOnlySpan<char> first = FirstWord(lower);
            if (inControl)
            {
                if (first is ".endc")
                {
                    inControl = false;
                }

                continue;
            }

            if (section is not null)
            {
                // Reading a library file for one section: only the lines between ".lib section" and ".endl" count.
                if (!inSection)
                {
                    if (first is ".lib" && Words(lower) is [_, string name] && name == section)
                    {
                        inSection = true;
                        sectionFound = true;
                    }

                    continue;
                }

                if (first is ".endl")
                {
                    inSection = false;
                    continue;
                }
            }

            if (skippingLibBlock is not null)
            {
                if (first is ".endl")
                {
                    skippingLibBlock = null;
                }
                else if (first is ".end")
                {
                    break;
                }

                continue;
            }

            switch (first)
            {
                case ".end":
                    if (depth == 0)
                    {
                        return;
                    }

                    continue;
                case ".control":
                    inControl = true;
                    _warnings.Add($"{line.Location}: .control block skipped (ngspice scripts are not part of the netlist)");
                    continue;
                case ".include":
                case ".inc":
                    {
                        if (Words(lower).Length < 2)
                        {
                            throw new SpiceParseException(line.Location, ".include needs a file name");
                        }

                        string path = ResolvePath(line, fileName, ArgumentText(line.Text, 1));
                        Include(line, path, depth, null);
                        continue;
                    }

                case ".lib":
                    string[] words = Words(lower);
                    if (words.Length == 2)
                    {
                        // ".lib name" in a file read as a whole defines a section that is only used when referenced.
                        skippingLibBlock = words[1];
                        libStart = line.Location;
                        continue;
                    }

                    if (words.Length == 3)
                    {
                        string[] raw = line.Text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                        string path = ResolvePath(line, fileName, raw[1].Trim('"', '\''));
                        Include(line, path, depth, words[2]);
                        continue;
                    }

                    throw new SpiceParseException(line.Location, $"unsupported .lib syntax '{line.Text}' (expected '.lib file section' or '.lib section')");
                case ".endl":
                    throw new SpiceParseException(line.Location, ".endl without a matching .lib section");
                default:
                    _lines.Add(new LogicalLine(lower, line.Location));
                    break;
            }
        }

        if (inControl)
        {
            throw new SpiceParseException(new SourceLocation(fileName, physicalCount), ".control block without .endc");
        }

        if (skippingLibBlock is not null)
        {
            throw new SpiceParseException(libStart, $".lib {skippingLibBlock} has no .endl (to include a library section write '.lib file section')");
        }

        if (!sectionFound)
        {
            throw new SpiceParseException(new SourceLocation(fileName, 1), $"library section '{section}' not found");
        }
    }

    private void Include(LogicalLine line, string path, int depth, string? section)
    {
        if (depth >= MaxIncludeDepth)
        {
            throw new SpiceParseException(line.Location, $"includes nested deeper than {MaxIncludeDepth} (recursive include of '{path}'?)");
        }

        string text;
        try
        {
            text = _loadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpiceParseException(line.Location, $"cannot read included file '{path}': {e.Message}");
        }

        ReadFile(text, 0, path, depth + 1, section);
    }

    private static string ArgumentText(string text, int index)
    {
        string[] raw = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', raw[index..]).Trim().Trim('"', '\'');
    }

    private static string ResolvePath(LogicalLine line, string fileName, string path)
    {
        if (path.Length == 0)
        {
            throw new SpiceParseException(line.Location, "empty file name");
        }

        if (Path.IsPathRooted(path))
        {
            return path;
        }

        string? dir = Path.GetDirectoryName(fileName);
        return string.IsNullOrEmpty(dir) ? path : Path.Combine(dir, path);
    }

    /// <summary>
    /// Joins continuation lines and strips comments; <paramref name="firstLine"/> skips the title. A line without
    /// continuation becomes one string straight from the text (a builder only when <c>+</c> lines follow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<LogicalLine> JoinLines(string text, int firstLine, string fileName, out int physicalCount)
    {
        var result = new List<LogicalLine>();
        System.Text.StringBuilder? joined = null;
        ReadOnlySpan<char> pending = default;
        bool hasPending = false;
        SourceLocation start = default;
        ReadOnlySpan<char> rest = text;
        int i = 0;
        for (bool more = true; more; i++)
        {
            ReadOnlySpan<char> physical = NextLine(ref rest, out more);
            if (i >= firstLine)
            {
                ReadOnlySpan<char> line = StripInlineComment(physical).Trim();
                if (line.Length > 0 && line[0] != '*')
                {
                    if (line[0] == '+')
                    {
                        if (!hasPending)
                        {
                            throw new SpiceParseException(new SourceLocation(fileName, i + 1), "continuation line '+' with nothing to continue");
                        }

                        joined ??= new System.Text.StringBuilder().Append(pending);
                        joined.Append(' ').Append(line[1..]);
                    }
                    else
                    {
                        if (hasPending)
                        {
                            result.Add(new LogicalLine(Finish(pending, joined), start));
                        }

                        pending = line;
                        hasPending = true;
                        joined = null;
                        start = new SourceLocation(fileName, i + 1);
                    }
                }
            }
        }

        if (hasPending)
        {
            result.Add(new LogicalLine(Finish(pending, joined), start));
        }

        physicalCount = i;
        return result;
    }

    private static string Finish(ReadOnlySpan<char> pending, System.Text.StringBuilder? joined) =>
        joined is null ? pending.ToString() : joined.ToString().Trim();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<char> StripInlineComment(ReadOnlySpan<char> line)
    {
        bool inQuote = false;
        int braces = 0;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '\'' || c == '"')
            {
                inQuote = !inQuote;
            }
            else if (c == '{')
            {
                braces++;
            }
            else if (c == '}')
            {
                braces--;
            }
            else if (!inQuote && braces <= 0)
            {
                bool afterSpace = i == 0 || char.IsWhiteSpace(line[i - 1]);
                if (c == ';' || (c == '$' && afterSpace) || (c == '/' && afterSpace && i + 1 < line.Length && line[i + 1] == '/'))
                {
                    return line[..i];
                }
            }
        }

        return line;
    }
}

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
        string[] physical = SplitLines(text);
        title = physical.Length > 0 ? physical[0].Trim() : string.Empty;
        reader.ReadFile(physical, 1, fileName, depth: 0, section: null);
        return reader._lines;
    }

    private static string[] SplitLines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');

    private void ReadFile(string[] physical, int firstLine, string fileName, int depth, string? section)
    {
        List<LogicalLine> logical = JoinLines(physical, firstLine, fileName);
        bool inSection = section is null;
        bool sectionFound = section is null;
        string? skippingLibBlock = null;
        SourceLocation libStart = default;
        bool inControl = false;
        for (int i = 0; i < logical.Count; i++)
        {
            LogicalLine line = logical[i];
            string lower = line.Text.ToLowerInvariant();
            string[] words = lower.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string first = words[0];
            if (inControl)
            {
                if (first == ".endc")
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
                    if ((first == ".lib") && words.Length == 2 && words[1] == section)
                    {
                        inSection = true;
                        sectionFound = true;
                    }

                    continue;
                }

                if (first == ".endl")
                {
                    inSection = false;
                    continue;
                }
            }

            if (skippingLibBlock is not null)
            {
                if (first == ".endl")
                {
                    skippingLibBlock = null;
                }
                else if (first == ".end")
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
                        if (words.Length < 2)
                        {
                            throw new SpiceParseException(line.Location, ".include needs a file name");
                        }

                        string path = ResolvePath(line, fileName, ArgumentText(line.Text, 1));
                        Include(line, path, depth, null);
                        continue;
                    }

                case ".lib":
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
            throw new SpiceParseException(new SourceLocation(fileName, physical.Length), ".control block without .endc");
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

        ReadFile(SplitLines(text), 0, path, depth + 1, section);
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

    /// <summary>Joins continuation lines and strips comments; <paramref name="firstLine"/> skips the title.</summary>
    private static List<LogicalLine> JoinLines(string[] physical, int firstLine, string fileName)
    {
        var result = new List<LogicalLine>();
        System.Text.StringBuilder? current = null;
        SourceLocation start = default;
        for (int i = firstLine; i < physical.Length; i++)
        {
            string text = StripInlineComment(physical[i]).Trim();
            if (text.Length == 0 || text[0] == '*')
            {
                continue;
            }

            if (text[0] == '+')
            {
                if (current is null)
                {
                    throw new SpiceParseException(new SourceLocation(fileName, i + 1), "continuation line '+' with nothing to continue");
                }

                current.Append(' ').Append(text.AsSpan(1));
                continue;
            }

            if (current is not null)
            {
                result.Add(new LogicalLine(current.ToString().Trim(), start));
            }

            current = new System.Text.StringBuilder(text);
            start = new SourceLocation(fileName, i + 1);
        }

        if (current is not null)
        {
            result.Add(new LogicalLine(current.ToString().Trim(), start));
        }

        result.RemoveAll(l => l.Text.Length == 0);
        return result;
    }

    private static string StripInlineComment(string line)
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

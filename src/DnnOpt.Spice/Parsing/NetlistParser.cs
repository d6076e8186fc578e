using System.Runtime.CompilerServices;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Parsing;

/// <summary>
/// Reads SPICE3/ngspice decks into an immutable <see cref="Netlist"/>. Supported: R C L V I E F G H D M X lines,
/// <c>.param .subckt/.ends .model .include .lib .temp .options .ic .nodeset .global .op .dc .ac .tran .noise .meas .end</c>. Anything else that could
/// change results is a <see cref="SpiceParseException"/> naming file, line and construct; pure output requests
/// (<c>.save .print .plot .probe .width</c>) and <c>.control</c> blocks are skipped with a warning.
/// </summary>
/// <remarks>
/// The methods a deck's lines go through (here, in <see cref="LineReader"/>, <see cref="Tokenizer"/>, the elaboration
/// and the device set-up) are marked <see cref="MethodImplOptions.AggressiveOptimization"/>: a deck is loaded once or a
/// few times per process, and with tiered compilation a 10k-MOSFET load ran mostly in tier-0 code while its tier-1
/// compiles ran beside it (55 ms against 13 ms for the parse; src/DnnOpt.Spice/README.md, "Loading a deck").
/// </remarks>
public static class NetlistParser
{
    private static readonly HashSet<string> Waveforms = new(StringComparer.Ordinal) { "pulse", "sin", "pwl", "exp", "sffm", "am" };

    /// <summary>Reads a deck file; includes are resolved relative to the including file.</summary>
    /// <param name="path">Deck path.</param>
    /// <returns>The netlist.</returns>
    /// <exception cref="SpiceParseException">Bad or unsupported input (file, line and construct in the message).</exception>
    public static Netlist ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpiceParseException(new SourceLocation(path, 0), $"cannot read deck: {e.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Reads a deck from text.</summary>
    /// <param name="text">Deck text; the first line is the title.</param>
    /// <param name="fileName">Name used in messages and as the base for relative <c>.include</c> paths.</param>
    /// <param name="loadFile">Reads included files (default: the file system).</param>
    /// <returns>The netlist.</returns>
    /// <exception cref="SpiceParseException">Bad or unsupported input (file, line and construct in the message).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Netlist Parse(string text, string fileName = "<netlist>", Func<string, string>? loadFile = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var warnings = new List<string>();
        List<LogicalLine> lines = LineReader.ReadDeck(text, fileName, loadFile ?? File.ReadAllText, warnings, out string title);
        var builder = new Builder(title, warnings);
        foreach (LogicalLine line in lines)
        {
            builder.Add(line);
        }

        return builder.Finish();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Expression ToExpression(Token token, SourceLocation location, string what, bool parameter = false)
    {
        // Device, model and analysis values as ngspice's netlist reader (INPevaluate) reads them; subcircuit
        // parameters (numparam's, like .param and {expr}) as mantissa × suffix.
        if (token.Kind == TokenKind.Word && (parameter ? SpiceNumber.TryParse(token.Text, out double v) : SpiceNumber.TryParseNetlist(token.Text, out v)))
        {
            return Expression.Constant(v);
        }

        if (token.Kind == TokenKind.Expression)
        {
            return ParseExpression(token.Text, location, $"bad expression for {what} '{token}'");
        }

        throw new SpiceParseException(location, $"expected a number or {{expression}} for {what}, found '{token}'");
    }

    /// <summary>Parses an expression; a malformed one is a parse error at <paramref name="location"/>, after <paramref name="context"/> when given.</summary>
    internal static Expression ParseExpression(string text, SourceLocation location, string? context = null)
    {
        try
        {
            return ExpressionParser.Parse(text);
        }
        catch (ExpressionException e)
        {
            throw new SpiceParseException(location, context is null ? e.Message : $"{context}: {e.Message}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsValueToken(Token t) =>
        t.Kind == TokenKind.Expression || (t.Kind == TokenKind.Word && SpiceNumber.TryParseNetlist(t.Text, out _));

    private sealed class Builder(string title, List<string> warnings)
    {
        private readonly CircuitBody _top = new();
        private readonly Stack<(SubcircuitDefinition Definition, CircuitBody Parent)> _open = new();
        private readonly List<AnalysisStatement> _analyses = [];
        private readonly Dictionary<string, (Expression? Value, SourceLocation Location)> _options = new(StringComparer.Ordinal);
        private readonly List<NodeValueStatement> _ic = [];
        private readonly List<NodeValueStatement> _nodesets = [];
        private readonly HashSet<string> _globals = new(StringComparer.Ordinal);
        private readonly List<MeasureStatement> _measures = [];
        private readonly List<Token> _tokens = new(16);
        private readonly NamePool _names = new();

        // One tree per distinct value text ({3*wn}, 0.5u): expression trees are immutable, so elements share them.
        private readonly Dictionary<string, Expression> _expressions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Expression> _numbers = new(StringComparer.Ordinal);

        /// <summary>Subcircuit parameter numbers (read as numparam does, not as the netlist reader).</summary>
        private readonly Dictionary<string, Expression> _parameterNumbers = new(StringComparer.Ordinal);
        private Expression? _temperature;

        private CircuitBody Current => _open.Count > 0 ? _open.Peek().Definition.Body : _top;

        public Netlist Finish()
        {
            if (_open.Count > 0)
            {
                SubcircuitDefinition d = _open.Peek().Definition;
                throw new SpiceParseException(d.Location, $".subckt {d.Name} has no .ends");
            }

            return new Netlist(title, _top, _analyses, _options, _temperature, _ic, _nodesets, warnings) { GlobalNodes = _globals, Measures = _measures };
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(LogicalLine line)
        {
            List<Token> tokens = _tokens;
            Tokenizer.Tokenize(line.Text, line.Location, tokens, _names);
            if (tokens.Count == 0)
            {
                return;
            }

            if (tokens[0].Kind != TokenKind.Word)
            {
                throw new SpiceParseException(line.Location, $"a line cannot start with '{tokens[0]}'");
            }

            string head = tokens[0].Text;
            if (head[0] == '.')
            {
                AddControl(head, tokens, line);
                return;
            }

            ElementStatement element = head[0] switch
            {
                'r' or 'c' or 'l' => ParsePassive(tokens, line),
                'v' or 'i' => ParseSource(tokens, line),
                'e' or 'g' => ParseVoltageControlled(tokens, line),
                'f' or 'h' => ParseCurrentControlled(tokens, line),
                'd' => ParseDevice(tokens, line, 2),
                'm' => ParseDevice(tokens, line, 4),
                'x' => ParseInstance(tokens, line),
                _ => throw new SpiceParseException(line.Location, $"unsupported element '{head}' (type letter '{head[0]}')"),
            };
            if (!Current.ElementNames.TryAdd(element.Name, element.Location))
            {
                throw new SpiceParseException(line.Location, $"duplicate element name '{element.Name}' (first at {Current.ElementNames[element.Name]})");
            }

            Current.ElementList.Add(element);
        }

        private static void RequireCount(List<Token> tokens, int count, LogicalLine line, string form) =>
            RequireCount(tokens, count, line, form, count - 1);

        /// <summary>
        /// At least <paramref name="count"/> fields, of which fields 1..<paramref name="names"/> are names (nodes,
        /// a controlling source, a model); later required fields are values, checked by their own parsing.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void RequireCount(List<Token> tokens, int count, LogicalLine line, string form, int names)
        {
            if (tokens.Count < count)
            {
                throw new SpiceParseException(line.Location, $"too few fields for {tokens[0].Text}: expected {form}");
            }

            for (int i = 1; i <= names && i < tokens.Count; i++)
            {
                if (tokens[i].Kind != TokenKind.Word)
                {
                    throw new SpiceParseException(line.Location, $"expected a node name in {tokens[0].Text}, found '{tokens[i]}' (form: {form})");
                }
            }
        }

        /// <summary>
        /// The value of a number or expression token, one shared tree per distinct text. The message context of a bad
        /// value is "<paramref name="subject"/> <paramref name="what"/>" (with " '<paramref name="name"/>'" when given),
        /// made only on failure: this runs for every value of every line.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Expression Value(Token token, SourceLocation location, string subject, string what, string? name = null, bool parameter = false)
        {
            Dictionary<string, Expression>? cache = token.Kind switch
            {
                TokenKind.Expression => _expressions,
                TokenKind.Word => parameter ? _parameterNumbers : _numbers,
                _ => null,
            };
            if (cache is not null && cache.TryGetValue(token.Text, out Expression? known))
            {
                return known;
            }

            string context = name is null ? $"{subject} {what}" : $"{subject} {what} '{name}'";
            Expression e = ToExpression(token, location, context, parameter);
            cache?.Add(token.Text, e);
            return e;
        }

        private NamedValues<Expression> ParseNamed(List<Token> tokens, int start, LogicalLine line, bool parameters = false) => ParseNamed(tokens, start, line, false, out _, parameters);

        /// <summary>name=value pairs from <paramref name="start"/> on; with <paramref name="allowOff"/> the flag <c>off</c> too.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private NamedValues<Expression> ParseNamed(List<Token> tokens, int start, LogicalLine line, bool allowOff, out List<string>? flags, bool parameters = false)
        {
            flags = null;
            var result = new NamedValues<Expression>(Math.Max(0, (tokens.Count - start) / 3));
            int i = start;
            while (i < tokens.Count)
            {
                Token t = tokens[i];
                if (t.Kind == TokenKind.Word && i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Equals)
                {
                    if (i + 2 >= tokens.Count)
                    {
                        throw new SpiceParseException(line.Location, $"missing value after '{t.Text}=' in {tokens[0].Text}");
                    }

                    result.Set(t.Text, Value(tokens[i + 2], line.Location, tokens[0].Text, "parameter", t.Text, parameters));
                    i += 3;

                    // ic=v1,v2,v3: extra positional values belong to the same parameter (ic2, ic3).
                    int extra = 2;
                    while (i < tokens.Count && IsValueToken(tokens[i]) && (i + 1 >= tokens.Count || tokens[i + 1].Kind != TokenKind.Equals))
                    {
                        if (t.Text != "ic")
                        {
                            throw new SpiceParseException(line.Location, $"unexpected value '{tokens[i]}' after '{t.Text}=' in {tokens[0].Text}");
                        }

                        result.Set("ic" + extra.ToString(System.Globalization.CultureInfo.InvariantCulture), ToExpression(tokens[i], line.Location, "ic"));
                        extra++;
                        i++;
                    }

                    continue;
                }

                if (allowOff && t.IsWord("off"))
                {
                    (flags ??= []).Add(t.Text);
                    i++;
                    continue;
                }

                throw new SpiceParseException(line.Location, $"unexpected '{t}' in {tokens[0].Text} (expected name=value)");
            }

            return result;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ElementStatement ParsePassive(List<Token> tokens, LogicalLine line)
        {
            RequireCount(tokens, 3, line, "name n+ n- value [name=value ...]");
            Expression? value = null;
            int next = 3;
            if (tokens.Count > 3 && !(tokens.Count > 4 && tokens[4].Kind == TokenKind.Equals))
            {
                if (!IsValueToken(tokens[3]))
                {
                    throw new SpiceParseException(line.Location, $"{tokens[0].Text}: model-based {KindName(tokens[0].Text[0])} ('{tokens[3]}') is not supported; give a value");
                }

                value = Value(tokens[3], line.Location, tokens[0].Text, "value");
                next = 4;
            }

            NamedValues<Expression> named = ParseNamed(tokens, next, line);
            string key = tokens[0].Text[0] switch { 'r' => "r", 'c' => "c", _ => "l" };
            if (named.Remove(key, out Expression? v) || named.Remove(key == "r" ? "resistance" : key == "c" ? "capacitance" : "inductance", out v))
            {
                value ??= v;
            }

            if (value is null)
            {
                throw new SpiceParseException(line.Location, $"{tokens[0].Text} has no value");
            }

            string[] nodes = [tokens[1].Text, tokens[2].Text];
            return new ElementStatement
            {
                Name = tokens[0].Text,
                Nodes = nodes,
                Value = value,
                Parameters = named,
                Location = line.Location,
            };
        }

        private static string KindName(char c) => c switch { 'r' => "resistor", 'c' => "capacitor", _ => "inductor" };

        private static ElementStatement ParseSource(List<Token> tokens, LogicalLine line)
        {
            RequireCount(tokens, 3, line, "name n+ n- [dc] value [ac mag [phase]] [pulse(...)|sin(...)|pwl(...)|exp(...)]");
            Expression? dc = null;
            (Expression, Expression)? ac = null;
            SourceWaveform? waveform = null;
            int i = 3;
            while (i < tokens.Count)
            {
                Token t = tokens[i];
                if (t.IsWord("dc"))
                {
                    if (i + 1 >= tokens.Count)
                    {
                        throw new SpiceParseException(line.Location, $"{tokens[0].Text}: 'dc' without a value");
                    }

                    int v = tokens[i + 1].Kind == TokenKind.Equals ? i + 2 : i + 1;
                    dc = ToExpression(tokens[Math.Min(v, tokens.Count - 1)], line.Location, $"{tokens[0].Text} dc value");
                    i = v + 1;
                }
                else if (t.IsWord("ac"))
                {
                    i++;
                    Expression mag = Expression.Constant(1.0);
                    Expression phase = Expression.Constant(0.0);
                    if (i < tokens.Count && IsValueToken(tokens[i]))
                    {
                        mag = ToExpression(tokens[i++], line.Location, "ac magnitude");
                        if (i < tokens.Count && IsValueToken(tokens[i]))
                        {
                            phase = ToExpression(tokens[i++], line.Location, "ac phase");
                        }
                    }

                    ac = (mag, phase);
                }
                else if (t.Kind == TokenKind.Word && Waveforms.Contains(t.Text))
                {
                    if (waveform is not null)
                    {
                        throw new SpiceParseException(line.Location, $"{tokens[0].Text}: more than one waveform");
                    }

                    i++;
                    var args = new List<Expression>();
                    bool paren = i < tokens.Count && tokens[i].Kind == TokenKind.OpenParen;
                    if (paren)
                    {
                        i++;
                    }

                    while (i < tokens.Count && tokens[i].Kind != TokenKind.CloseParen && IsValueToken(tokens[i]))
                    {
                        args.Add(ToExpression(tokens[i++], line.Location, $"{t.Text} argument"));
                    }

                    if (paren)
                    {
                        if (i >= tokens.Count || tokens[i].Kind != TokenKind.CloseParen)
                        {
                            throw new SpiceParseException(line.Location, $"{tokens[0].Text}: {t.Text}( ... ) is not closed or has a non-numeric argument");
                        }

                        i++;
                    }

                    waveform = new SourceWaveform(t.Text, args);
                }
                else if (dc is null && i == 3 && IsValueToken(t))
                {
                    dc = ToExpression(t, line.Location, $"{tokens[0].Text} value");
                    i++;
                }
                else
                {
                    throw new SpiceParseException(line.Location, $"unsupported source syntax '{t}' in {tokens[0].Text}");
                }
            }

            return new ElementStatement
            {
                Name = tokens[0].Text,
                Nodes = [tokens[1].Text, tokens[2].Text],
                Value = dc,
                Ac = ac,
                Waveform = waveform,
                Parameters = NamedValues<Expression>.Empty,
                Location = line.Location,
            };
        }

        private ElementStatement ParseVoltageControlled(List<Token> tokens, LogicalLine line)
        {
            if (tokens.Count > 3 && tokens[3].Kind == TokenKind.Word && tokens[3].Text is "poly" or "value" or "vol" or "cur" or "table")
            {
                throw new SpiceParseException(line.Location, $"{tokens[0].Text}: nonlinear controlled source '{tokens[3].Text}' is not supported (linear form: name n+ n- nc+ nc- gain)");
            }

            // The gain (field 5) is a value: a number, {expr} or 'expr', as in ngspice.
            RequireCount(tokens, 6, line, "name n+ n- nc+ nc- gain", names: 4);
            Expression gain = ToExpression(tokens[5], line.Location, $"{tokens[0].Text} gain");
            return new ElementStatement
            {
                Name = tokens[0].Text,
                Nodes = [tokens[1].Text, tokens[2].Text, tokens[3].Text, tokens[4].Text],
                Value = gain,
                Parameters = ParseNamed(tokens, 6, line),
                Location = line.Location,
            };
        }

        private ElementStatement ParseCurrentControlled(List<Token> tokens, LogicalLine line)
        {
            if (tokens.Count > 3 && tokens[3].Kind == TokenKind.Word && tokens[3].Text is "poly")
            {
                throw new SpiceParseException(line.Location, $"{tokens[0].Text}: polynomial controlled source is not supported (linear form: name n+ n- vcontrol gain)");
            }

            // The gain (field 4) is a value: a number, {expr} or 'expr', as in ngspice.
            RequireCount(tokens, 5, line, "name n+ n- vcontrol gain", names: 3);
            return new ElementStatement
            {
                Name = tokens[0].Text,
                Nodes = [tokens[1].Text, tokens[2].Text],
                Reference = tokens[3].Text,
                Value = ToExpression(tokens[4], line.Location, $"{tokens[0].Text} gain"),
                Parameters = ParseNamed(tokens, 5, line),
                Location = line.Location,
            };
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ElementStatement ParseDevice(List<Token> tokens, LogicalLine line, int nodeCount)
        {
            string form = nodeCount == 2 ? "name anode cathode model [area] [name=value ...] [off]" : "name nd ng ns nb model [name=value ...] [off]";
            RequireCount(tokens, nodeCount + 2, line, form);
            string[] nodes = new string[nodeCount];
            for (int i = 1; i <= nodeCount; i++)
            {
                nodes[i - 1] = tokens[i].Text;
            }

            string model = tokens[nodeCount + 1].Text;
            int next = nodeCount + 2;
            Expression? area = null;
            if (nodeCount == 2 && next < tokens.Count && IsValueToken(tokens[next]) && !(next + 1 < tokens.Count && tokens[next + 1].Kind == TokenKind.Equals))
            {
                area = ToExpression(tokens[next], line.Location, "diode area");
                next++;
            }

            NamedValues<Expression> named = ParseNamed(tokens, next, line, allowOff: true, out List<string>? flags);
            if (area is not null)
            {
                named.TryAdd("area", area);
            }

            return new ElementStatement
            {
                Name = tokens[0].Text,
                Nodes = nodes,
                Reference = model,
                Parameters = named,
                Flags = flags ?? [],
                Location = line.Location,
            };
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private ElementStatement ParseInstance(List<Token> tokens, LogicalLine line)
        {
            int firstNamed = tokens.Count;
            for (int i = 1; i < tokens.Count; i++)
            {
                if (tokens[i].IsWord("params:") || (i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Equals))
                {
                    firstNamed = i;
                    break;
                }

                if (tokens[i].Kind != TokenKind.Word)
                {
                    throw new SpiceParseException(line.Location, $"{tokens[0].Text}: unexpected '{tokens[i]}' among nodes and subcircuit name");
                }
            }

            if (firstNamed < 3)
            {
                throw new SpiceParseException(line.Location, $"{tokens[0].Text}: expected 'name nodes... subckt [params]'");
            }

            string[] nodes = new string[firstNamed - 2];
            for (int i = 1; i < firstNamed - 1; i++)
            {
                nodes[i - 1] = tokens[i].Text;
            }

            int start = firstNamed < tokens.Count && tokens[firstNamed].IsWord("params:") ? firstNamed + 1 : firstNamed;
            return new ElementStatement
            {
                Name = tokens[0].Text,
                Nodes = nodes,
                Reference = tokens[firstNamed - 1].Text,
                Parameters = ParseNamed(tokens, start, line, parameters: true),
                Location = line.Location,
            };
        }

        private void AddControl(string head, List<Token> tokens, LogicalLine line)
        {
            switch (head)
            {
                case ".param":
                    foreach (ParameterAssignment p in SplitAssignments(line.Text[6..], line.Location))
                    {
                        Current.ParameterList.Add(p);
                    }

                    break;
                case ".subckt":
                    StartSubcircuit(tokens, line);
                    break;
                case ".ends":
                    if (_open.Count == 0)
                    {
                        throw new SpiceParseException(line.Location, ".ends without .subckt");
                    }

                    {
                        (SubcircuitDefinition def, CircuitBody parent) = _open.Pop();
                        if (tokens.Count > 1 && tokens[1].Text != def.Name)
                        {
                            throw new SpiceParseException(line.Location, $".ends {tokens[1].Text} does not match .subckt {def.Name}");
                        }

                        if (!parent.SubcircuitMap.TryAdd(def.Name, def))
                        {
                            throw new SpiceParseException(def.Location, $"subcircuit '{def.Name}' defined twice");
                        }
                    }

                    break;
                case ".model":
                    AddModel(tokens, line);
                    break;
                case ".temp":
                    if (tokens.Count != 2)
                    {
                        throw new SpiceParseException(line.Location, ".temp takes exactly one temperature (several temperatures are not supported)");
                    }

                    _temperature = ToExpression(tokens[1], line.Location, ".temp");
                    break;
                case ".options":
                case ".option":
                case ".opt":
                    AddOptions(tokens, line);
                    break;
                case ".ic":
                    _ic.AddRange(ParseNodeValues(tokens, line));
                    break;
                case ".nodeset":
                    _nodesets.AddRange(ParseNodeValues(tokens, line));
                    break;
                case ".op":
                    _analyses.Add(new OpStatement(line.Location));
                    break;
                case ".global":
                    for (int i = 1; i < tokens.Count; i++)
                    {
                        if (tokens[i].Kind != TokenKind.Word)
                        {
                            throw new SpiceParseException(line.Location, $".global: expected node names, found '{tokens[i]}'");
                        }

                        _globals.Add(tokens[i].Text);
                    }

                    break;
                case ".dc":
                    _analyses.Add(ParseDc(tokens, line));
                    break;
                case ".ac":
                    _analyses.Add(new AcStatement(ParseFrequencySweep(tokens, 1, line, ".ac", exact: true), line.Location));
                    break;
                case ".tran":
                    _analyses.Add(ParseTran(tokens, line));
                    break;
                case ".noise":
                    _analyses.Add(ParseNoise(tokens, line));
                    break;
                case ".meas":
                case ".measure":
                    _measures.Add(ParseMeasure(line));
                    break;
                case ".title":
                    // A title directive does not change results; the first line stays the deck's title.
                    break;
                case ".save":
                case ".print":
                case ".plot":
                case ".probe":
                case ".width":
                    warnings.Add($"{line.Location}: output request '{head}' ignored (all node voltages and source currents are saved)");
                    break;
                default:
                    throw new SpiceParseException(line.Location, $"unsupported control line '{head}'");
            }
        }

        private void StartSubcircuit(List<Token> tokens, LogicalLine line)
        {
            if (tokens.Count < 2 || tokens[1].Kind != TokenKind.Word)
            {
                throw new SpiceParseException(line.Location, ".subckt needs a name");
            }

            var ports = new List<string>();
            int i = 2;
            for (; i < tokens.Count; i++)
            {
                if (tokens[i].IsWord("params:") || (i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Equals))
                {
                    break;
                }

                if (tokens[i].Kind != TokenKind.Word)
                {
                    throw new SpiceParseException(line.Location, $".subckt {tokens[1].Text}: unexpected '{tokens[i]}' among ports");
                }

                ports.Add(tokens[i].Text);
            }

            if (i < tokens.Count && tokens[i].IsWord("params:"))
            {
                i++;
            }

            var defaults = new List<ParameterAssignment>();
            foreach (KeyValuePair<string, Expression> kv in ParseNamed(tokens, i, line, parameters: true))
            {
                defaults.Add(new ParameterAssignment(kv.Key, kv.Value, line.Location));
            }

            var def = new SubcircuitDefinition(tokens[1].Text, ports, defaults, new CircuitBody(), line.Location);
            _open.Push((def, Current));
        }

        private void AddModel(List<Token> tokens, LogicalLine line)
        {
            if (tokens.Count < 3 || tokens[1].Kind != TokenKind.Word || tokens[2].Kind != TokenKind.Word)
            {
                throw new SpiceParseException(line.Location, ".model needs a name and a type");
            }

            var rest = new List<Token>();
            for (int i = 3; i < tokens.Count; i++)
            {
                if (tokens[i].Kind is not (TokenKind.OpenParen or TokenKind.CloseParen))
                {
                    rest.Add(tokens[i]);
                }
            }

            var parameters = new List<ParameterAssignment>();
            for (int i = 0; i < rest.Count;)
            {
                if (rest[i].Kind == TokenKind.Word && i + 2 < rest.Count && rest[i + 1].Kind == TokenKind.Equals)
                {
                    Expression value = rest[i].Text == "version" && TryParseVersion(rest[i + 2], out double version)
                        ? Expression.Constant(version)
                        : ToExpression(rest[i + 2], line.Location, $".model {tokens[1].Text} parameter '{rest[i].Text}'");
                    parameters.Add(new ParameterAssignment(rest[i].Text, value, line.Location));
                    i += 3;
                }
                else
                {
                    throw new SpiceParseException(line.Location, $".model {tokens[1].Text}: expected name=value, found '{rest[i]}'");
                }
            }

            var model = new ModelStatement(tokens[1].Text, tokens[2].Text, parameters, line.Location);
            if (!Current.ModelMap.TryAdd(model.Name, model))
            {
                throw new SpiceParseException(line.Location, $"model '{model.Name}' defined twice (first at {Current.ModelMap[model.Name].Location})");
            }
        }

        /// <summary>
        /// BSIM model cards give <c>version=3.3.0</c> (a release string, not a number); it is kept as major.minor
        /// (3.3), which is all the model selection needs.
        /// </summary>
        private static bool TryParseVersion(Token token, out double version)
        {
            version = 0;
            string[] parts = token.Text.Trim('\'', '"').Split('.');
            if (token.Kind != TokenKind.Word || parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            {
                return false;
            }

            version = double.Parse(parts[0] + "." + parts[1], System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }

        private void AddOptions(List<Token> tokens, LogicalLine line)
        {
            for (int i = 1; i < tokens.Count;)
            {
                if (tokens[i].Kind != TokenKind.Word)
                {
                    throw new SpiceParseException(line.Location, $".options: unexpected '{tokens[i]}'");
                }

                if (i + 2 < tokens.Count && tokens[i + 1].Kind == TokenKind.Equals)
                {
                    // method=trap|gear takes a word; it is kept as a name for the circuit to interpret.
                    Token value = tokens[i + 2];
                    bool word = tokens[i].Text == "method" && value.Kind == TokenKind.Word && !SpiceNumber.TryParse(value.Text, out _);
                    _options[tokens[i].Text] = (word ? new ParameterReference(value.Text) : ToExpression(value, line.Location, $"option {tokens[i].Text}"), line.Location);
                    i += 3;
                }
                else
                {
                    _options[tokens[i].Text] = (null, line.Location);
                    i++;
                }
            }
        }

        private static List<NodeValueStatement> ParseNodeValues(List<Token> tokens, LogicalLine line)
        {
            var result = new List<NodeValueStatement>();
            int i = 1;
            while (i < tokens.Count)
            {
                if (i + 5 < tokens.Count && tokens[i].IsWord("v") && tokens[i + 1].Kind == TokenKind.OpenParen
                    && tokens[i + 2].Kind == TokenKind.Word && tokens[i + 3].Kind == TokenKind.CloseParen && tokens[i + 4].Kind == TokenKind.Equals)
                {
                    result.Add(new NodeValueStatement(tokens[i + 2].Text, ToExpression(tokens[i + 5], line.Location, $"{tokens[0].Text} value"), line.Location));
                    i += 6;
                }
                else
                {
                    throw new SpiceParseException(line.Location, $"{tokens[0].Text}: expected v(node)=value, found '{tokens[i]}'");
                }
            }

            return result;
        }

        private static FrequencySweepStatement ParseFrequencySweep(List<Token> tokens, int at, LogicalLine line, string what, bool exact)
        {
            if (tokens.Count < at + 4 || (exact && tokens.Count != at + 4))
            {
                throw new SpiceParseException(line.Location, $"{what} expects 'dec|oct|lin points fstart fstop'");
            }

            FrequencySweepKind kind = tokens[at].Kind != TokenKind.Word ? (FrequencySweepKind)(-1) : tokens[at].Text switch
            {
                "dec" => FrequencySweepKind.Decade,
                "oct" => FrequencySweepKind.Octave,
                "lin" => FrequencySweepKind.Linear,
                _ => (FrequencySweepKind)(-1),
            };
            if (!Enum.IsDefined(kind))
            {
                throw new SpiceParseException(line.Location, $"{what}: expected dec, oct or lin, found '{tokens[at]}'");
            }

            return new FrequencySweepStatement(
                kind,
                ToExpression(tokens[at + 1], line.Location, $"{what} points"),
                ToExpression(tokens[at + 2], line.Location, $"{what} start frequency"),
                ToExpression(tokens[at + 3], line.Location, $"{what} stop frequency"));
        }

        private static TranStatement ParseTran(List<Token> tokens, LogicalLine line)
        {
            var values = new List<Expression>();
            bool uic = false;
            for (int i = 1; i < tokens.Count; i++)
            {
                if (tokens[i].IsWord("uic"))
                {
                    uic = true;
                }
                else if (!uic && values.Count < 4 && IsValueToken(tokens[i]))
                {
                    values.Add(ToExpression(tokens[i], line.Location, ".tran value"));
                }
                else
                {
                    throw new SpiceParseException(line.Location, $".tran: unexpected '{tokens[i]}' (expected 'tstep tstop [tstart [tmax]] [uic]')");
                }
            }

            if (values.Count < 2)
            {
                throw new SpiceParseException(line.Location, ".tran expects 'tstep tstop [tstart [tmax]] [uic]'");
            }

            return new TranStatement(values[0], values[1], values.Count > 2 ? values[2] : null, values.Count > 3 ? values[3] : null, uic, line.Location);
        }

        private static NoiseStatement ParseNoise(List<Token> tokens, LogicalLine line)
        {
            // v(out) or v(out,ref): the tokenizer drops the comma, leaving v ( out [ref] ).
            int close = tokens.FindIndex(t => t.Kind == TokenKind.CloseParen);
            if (tokens.Count < 4 || !tokens[1].IsWord("v") || tokens[2].Kind != TokenKind.OpenParen || close < 4 || close > 5
                || tokens.Skip(3).Take(close - 3).Any(t => t.Kind != TokenKind.Word))
            {
                throw new SpiceParseException(line.Location, ".noise expects 'v(out[,ref]) source dec|oct|lin points fstart fstop [pts_per_summary]'");
            }

            string output = tokens[3].Text;
            string? reference = close == 5 ? tokens[4].Text : null;
            int at = close + 1;
            if (at >= tokens.Count || tokens[at].Kind != TokenKind.Word)
            {
                throw new SpiceParseException(line.Location, ".noise: expected the input source name after the output");
            }

            string source = tokens[at].Text;
            if (source[0] != 'v' && source[0] != 'i')
            {
                throw new SpiceParseException(line.Location, $".noise: input '{source}' is not an independent voltage or current source");
            }

            FrequencySweepStatement sweep = ParseFrequencySweep(tokens, at + 1, line, ".noise", exact: false);
            int rest = at + 5;
            if (tokens.Count > rest + 1)
            {
                throw new SpiceParseException(line.Location, $".noise: unexpected '{tokens[rest + 1]}'");
            }

            Expression? summary = tokens.Count == rest + 1 ? ToExpression(tokens[rest], line.Location, ".noise pts_per_summary") : null;
            return new NoiseStatement(output, reference, source, sweep, summary, line.Location);
        }

        private static MeasureStatement ParseMeasure(LogicalLine line)
        {
            string[] words = line.Text.Split((char[])[' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 4)
            {
                throw new SpiceParseException(line.Location, $"{words[0]} expects 'ac|dc|tran|noise name ...'");
            }

            string analysis = words[1].ToLowerInvariant();
            if (analysis is not ("ac" or "dc" or "tran" or "noise" or "sp"))
            {
                throw new SpiceParseException(line.Location, $"{words[0]}: unknown analysis '{words[1]}' (expected ac, dc, tran or noise)");
            }

            return new MeasureStatement(analysis, words[2].ToLowerInvariant(), words[3], line.Location);
        }

        private static DcStatement ParseDc(List<Token> tokens, LogicalLine line)
        {
            if (tokens.Count != 5 && tokens.Count != 9)
            {
                throw new SpiceParseException(line.Location, ".dc expects 'name start stop step [name2 start2 stop2 step2]' (list/lin/dec sweeps are not supported)");
            }

            var sweeps = new List<DcSweepStatement>();
            for (int s = 1; s < tokens.Count; s += 4)
            {
                if (tokens[s].Kind != TokenKind.Word)
                {
                    throw new SpiceParseException(line.Location, $".dc: expected a source, resistor, 'temp' or parameter name, found '{tokens[s]}'");
                }

                sweeps.Add(new DcSweepStatement(
                    tokens[s].Text,
                    ToExpression(tokens[s + 1], line.Location, ".dc start"),
                    ToExpression(tokens[s + 2], line.Location, ".dc stop"),
                    ToExpression(tokens[s + 3], line.Location, ".dc step")));
            }

            return new DcStatement(sweeps, line.Location);
        }
    }

    /// <summary>
    /// Splits <c>a=1 b = {a*2} c='a + 1' d=a+2</c> into assignments. An expression runs until the next
    /// <c>name =</c> at nesting depth zero, so bare expressions may contain spaces.
    /// </summary>
    internal static List<ParameterAssignment> SplitAssignments(string text, SourceLocation location)
    {
        var result = new List<ParameterAssignment>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ','))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            int nameStart = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '.'))
            {
                i++;
            }

            string name = text[nameStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (name.Length == 0 || (!char.IsAsciiLetter(name[0]) && name[0] != '_') || i >= text.Length || text[i] != '=')
            {
                throw new SpiceParseException(location, $".param: expected name=value at '{text[nameStart..].Trim()}'");
            }

            i++;
            int exprStart = i;
            int depth = 0;
            bool quote = false;
            int end = text.Length;
            for (int j = i; j < text.Length; j++)
            {
                char c = text[j];
                if (c == '\'')
                {
                    quote = !quote;
                }
                else if (!quote && (c == '(' || c == '{'))
                {
                    depth++;
                }
                else if (!quote && (c == ')' || c == '}'))
                {
                    depth--;
                }
                else if (!quote && depth == 0 && (char.IsWhiteSpace(c) || c == ',') && NextIsAssignment(text, j))
                {
                    end = j;
                    break;
                }
            }

            string expr = text[exprStart..end].Trim();
            i = end;
            if (expr.Length >= 2 && ((expr[0] == '{' && expr[^1] == '}') || (expr[0] == '\'' && expr[^1] == '\'')))
            {
                expr = expr[1..^1];
            }

            if (expr.Length == 0)
            {
                throw new SpiceParseException(location, $".param {name}: missing value");
            }

            result.Add(new ParameterAssignment(name, ParseExpression(expr, location), location));
        }

        return result;
    }

    private static bool NextIsAssignment(string text, int j)
    {
        int k = j;
        while (k < text.Length && (char.IsWhiteSpace(text[k]) || text[k] == ','))
        {
            k++;
        }

        if (k >= text.Length || !(char.IsAsciiLetter(text[k]) || text[k] == '_'))
        {
            return false;
        }

        while (k < text.Length && (char.IsAsciiLetterOrDigit(text[k]) || text[k] == '_' || text[k] == '.'))
        {
            k++;
        }

        while (k < text.Length && char.IsWhiteSpace(text[k]))
        {
            k++;
        }

        return k < text.Length && text[k] == '=' && (k + 1 >= text.Length || text[k + 1] != '=');
    }
}

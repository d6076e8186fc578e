using System.Text;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Measurements;

/// <summary>The <c>.measure</c> grammar of ngspice 39 (manual chapter ".meas"), with clear errors for anything else.</summary>
public sealed partial class MeasureDefinition
{
    /// <summary>Parses the text of a <c>.measure</c> after its analysis and result name.</summary>
    /// <param name="analysis">Analysis name (<c>dc ac tran noise sp</c>).</param>
    /// <param name="name">Result name.</param>
    /// <param name="text">The rest of the statement, e.g. <c>find v(out) when v(in)=0.9 rise=2</c>.</param>
    /// <param name="location">Where it is written, for errors.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="SpiceParseException">Bad syntax, naming file, line and what is wrong.</exception>
    public static MeasureDefinition Parse(string analysis, string name, string text, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        string an = analysis.ToLowerInvariant();
        string nm = name.ToLowerInvariant();
        List<string> tokens = Tokenize(text, location);
        if (tokens.Count == 0)
        {
            throw Error(location, nm, "expected a measure function (find, when, trig, min, max, avg, rms, pp, integ, deriv, param)");
        }

        string head = tokens[0].ToLowerInvariant();
        if (head.StartsWith("param=", StringComparison.Ordinal) || head.StartsWith("expr=", StringComparison.Ordinal))
        {
            if (tokens.Count > 1)
            {
                throw Error(location, nm, $"unexpected '{tokens[1]}' after the param expression");
            }

            string expr = tokens[0][(tokens[0].IndexOf('=', StringComparison.Ordinal) + 1)..];
            return new MeasureDefinition(an, nm, text, location, MeasureFunction.Param) { ParamExpression = ParseValue(expr, location, nm, "param") };
        }

        switch (head)
        {
            case "find":
                return ParseFindOrDeriv(an, nm, text, location, tokens, derivative: false);
            case "deriv":
            case "derivative":
                return ParseFindOrDeriv(an, nm, text, location, tokens, derivative: true);
            case "when":
                return new MeasureDefinition(an, nm, text, location, MeasureFunction.When) { When = ParseWhen(tokens, 1, tokens.Count, location, nm) };
            case "trig":
                return ParseTrigTarg(an, nm, text, location, tokens);
            case "min":
            case "max":
            case "min_at":
            case "max_at":
            case "avg":
            case "pp":
            case "rms":
            case "integ":
            case "integral":
                {
                    MeasureFunction f = head switch
                    {
                        "min" => MeasureFunction.Min,
                        "max" => MeasureFunction.Max,
                        "min_at" => MeasureFunction.MinAt,
                        "max_at" => MeasureFunction.MaxAt,
                        "avg" => MeasureFunction.Average,
                        "pp" => MeasureFunction.PeakToPeak,
                        "rms" => MeasureFunction.Rms,
                        _ => MeasureFunction.Integral,
                    };
                    if (tokens.Count < 2 || tokens[1].Contains('=', StringComparison.Ordinal))
                    {
                        throw Error(location, nm, $"{head} expects a vector, e.g. '{head} v(out) from=1u to=2u'");
                    }

                    VectorExpression v = VectorExpression.Parse(tokens[1], location);
                    Options o = ParseOptions(tokens, 2, tokens.Count, location, nm);
                    return new MeasureDefinition(an, nm, text, location, f) { Vector = v, From = o.From, To = o.To };
                }

            default:
                throw Error(location, nm, $"unknown measure function '{tokens[0]}' (expected find, when, trig, min, max, min_at, max_at, avg, rms, pp, integ, deriv or param=)");
        }
    }

    private static MeasureDefinition ParseFindOrDeriv(string an, string nm, string text, SourceLocation location, List<string> tokens, bool derivative)
    {
        string what = derivative ? "deriv" : "find";
        if (tokens.Count < 2 || tokens[1].Contains('=', StringComparison.Ordinal) || IsWord(tokens[1], "when"))
        {
            throw Error(location, nm, $"{what} expects a vector, e.g. '{what} v(out) at=1u' or '{what} v(out) when v(in)=0.5'");
        }

        VectorExpression v = VectorExpression.Parse(tokens[1], location);
        int when = tokens.FindIndex(2, t => IsWord(t, "when"));
        Options before = ParseOptions(tokens, 2, when < 0 ? tokens.Count : when, location, nm);
        if (when < 0)
        {
            if (before.At is null)
            {
                throw Error(location, nm, $"{what} needs 'at=' or a 'when' clause");
            }

            return new MeasureDefinition(an, nm, text, location, derivative ? MeasureFunction.DerivativeAt : MeasureFunction.FindAt) { Vector = v, At = before.At };
        }

        if (before.At is not null)
        {
            throw Error(location, nm, $"{what} takes either 'at=' or a 'when' clause, not both");
        }

        Crossing c = ParseWhen(tokens, when + 1, tokens.Count, location, nm);
        return new MeasureDefinition(an, nm, text, location, derivative ? MeasureFunction.DerivativeWhen : MeasureFunction.FindWhen) { Vector = v, When = c };
    }

    private static MeasureDefinition ParseTrigTarg(string an, string nm, string text, SourceLocation location, List<string> tokens)
    {
        int targ = tokens.FindIndex(1, t => IsWord(t, "targ"));
        if (targ < 0)
        {
            throw Error(location, nm, "trig needs a 'targ' clause");
        }

        Expression? trigAt = null;
        Crossing? trig = null;
        if (targ > 1 && tokens[1].StartsWith("at=", StringComparison.OrdinalIgnoreCase))
        {
            Options o = ParseOptions(tokens, 1, targ, location, nm);
            trigAt = o.At;
        }
        else
        {
            trig = ParseClause(tokens, 1, targ, location, nm, "trig");
        }

        if (targ + 1 < tokens.Count && tokens[targ + 1].StartsWith("at=", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(location, nm, "'targ at=' is not supported (ngspice 39 does not evaluate it); use a targ crossing");
        }

        Crossing target = ParseClause(tokens, targ + 1, tokens.Count, location, nm, "targ");
        return new MeasureDefinition(an, nm, text, location, MeasureFunction.TrigTarg) { At = trigAt, When = trig, Target = target };
    }

    /// <summary>A trig/targ clause: <c>VEC val=X rise|fall|cross=N|last [td=T]</c>.</summary>
    private static Crossing ParseClause(List<string> tokens, int start, int end, SourceLocation location, string nm, string what)
    {
        if (start >= end || tokens[start].Contains('=', StringComparison.Ordinal))
        {
            throw Error(location, nm, $"{what} expects a vector or 'at=', e.g. '{what} v(out) val=0.5 rise=1'");
        }

        VectorExpression v = VectorExpression.Parse(tokens[start], location);
        Options o = ParseOptions(tokens, start + 1, end, location, nm);
        if (o.Value is null)
        {
            throw Error(location, nm, $"{what} {v} needs 'val='");
        }

        if (!o.Count.IsGiven)
        {
            throw Error(location, nm, $"{what} {v}: at, rise, fall or cross must be given");
        }

        return new Crossing(v, o.Value, null, o.Count, o.Delay);
    }

    /// <summary>A when clause: <c>VEC=VAL|VEC2 [rise|fall|cross=N|last] [td=T]</c>.</summary>
    private static Crossing ParseWhen(List<string> tokens, int start, int end, SourceLocation location, string nm)
    {
        if (start >= end)
        {
            throw Error(location, nm, "when expects 'vector=value', e.g. 'when v(out)=0.5'");
        }

        string cond = tokens[start];
        int eq = IndexOfTopLevel(cond, '=');
        if (eq <= 0 || eq == cond.Length - 1)
        {
            throw Error(location, nm, $"when expects 'vector=value', found '{cond}'");
        }

        VectorExpression v = VectorExpression.Parse(cond[..eq], location);
        string rhs = cond[(eq + 1)..];
        string rhsLower = rhs.ToLowerInvariant();
        Options o = ParseOptions(tokens, start + 1, end, location, nm);
        if (o.Value is not null)
        {
            throw Error(location, nm, "'val=' is not used with 'when' (write 'when vector=value')");
        }

        if (VectorExpression.LooksLikeVector(rhsLower))
        {
            return new Crossing(v, null, VectorExpression.Parse(rhs, location), o.Count, o.Delay);
        }

        Expression value = ParseValue(rhs, location, nm, "when");
        bool bare = rhsLower.Length > 0 && (char.IsLetter(rhsLower[0]) || rhsLower[0] == '_') && rhsLower.All(c => char.IsLetterOrDigit(c) || c == '_');
        return new Crossing(v, value, null, o.Count, o.Delay) { BareName = bare ? rhsLower : null };
    }

    private sealed class Options
    {
        public Expression? Value { get; set; }

        public Expression? Delay { get; set; }

        public Expression? From { get; set; }

        public Expression? To { get; set; }

        public Expression? At { get; set; }

        public CrossingCount Count { get; set; } = CrossingCount.First;
    }

    /// <summary>
    /// ngspice's standard parameters: <c>rise fall cross val td from to at</c> and a bare <c>last</c>. As in ngspice the
    /// last of rise/fall/cross given wins, and parameters a function does not use are accepted and ignored.
    /// </summary>
    private static Options ParseOptions(List<string> tokens, int start, int end, SourceLocation location, string nm)
    {
        var o = new Options();
        for (int k = start; k < end; k++)
        {
            string t = tokens[k];
            if (IsWord(t, "last"))
            {
                o.Count = new CrossingCount(CrossingCount.None, CrossingCount.None, CrossingCount.Last);
                continue;
            }

            int eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Error(location, nm, $"expected 'name=value', found '{t}'");
            }

            string key = t[..eq].ToLowerInvariant();
            string value = t[(eq + 1)..];
            switch (key)
            {
                case "rise":
                    o.Count = new CrossingCount(ParseCount(value, location, nm, key), CrossingCount.None, CrossingCount.None);
                    break;
                case "fall":
                    o.Count = new CrossingCount(CrossingCount.None, ParseCount(value, location, nm, key), CrossingCount.None);
                    break;
                case "cross":
                    o.Count = new CrossingCount(CrossingCount.None, CrossingCount.None, ParseCount(value, location, nm, key));
                    break;
                case "val":
                    o.Value = ParseValue(value, location, nm, key);
                    break;
                case "td":
                    o.Delay = ParseValue(value, location, nm, key);
                    break;
                case "from":
                    o.From = ParseValue(value, location, nm, key);
                    break;
                case "to":
                    o.To = ParseValue(value, location, nm, key);
                    break;
                case "at":
                    o.At = ParseValue(value, location, nm, key);
                    break;
                default:
                    throw Error(location, nm, $"no such parameter as '{t[..eq]}' (expected rise, fall, cross, val, td, from, to, at)");
            }
        }

        return o;
    }

    private static int ParseCount(string value, SourceLocation location, string nm, string key)
    {
        if (value.Equals("last", StringComparison.OrdinalIgnoreCase))
        {
            return CrossingCount.Last;
        }

        if (!SpiceNumber.TryParse(value, out double v) || !double.IsFinite(v))
        {
            throw Error(location, nm, $"{key}= expects a number or 'last', found '{value}'");
        }

        // ngspice rounds to the nearest integer; a count below 1 can never be met (ngspice then divides 0 by 0).
        int n = (int)Math.Floor(v + 0.5);
        if (n < 1)
        {
            throw Error(location, nm, $"{key}={value}: the count must be 1 or more, or 'last'");
        }

        return n;
    }

    /// <summary>A number with SPICE suffixes, a parameter name, or an expression in quotes or braces.</summary>
    private static Expression ParseValue(string raw, SourceLocation location, string nm, string key)
    {
        string t = raw.Trim();
        if (t.Length >= 2 && ((t[0] == '\'' && t[^1] == '\'') || (t[0] == '"' && t[^1] == '"') || (t[0] == '{' && t[^1] == '}')))
        {
            t = t[1..^1];
        }

        if (t.Length == 0)
        {
            throw Error(location, nm, $"{key}= has no value");
        }

        try
        {
            return ExpressionParser.Parse(t.ToLowerInvariant());
        }
        catch (ExpressionException e)
        {
            throw Error(location, nm, $"{key}={raw}: {e.Message}");
        }
    }

    private static bool IsWord(string token, string word) => token.Equals(word, StringComparison.OrdinalIgnoreCase);

    private static int IndexOfTopLevel(string s, char c)
    {
        int depth = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char ch = s[i];
            if (ch is '(' or '{' or '[')
            {
                depth++;
            }
            else if (ch is ')' or '}' or ']')
            {
                depth--;
            }
            else if (ch == c && depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Splits on blanks outside parentheses, braces and quotes, then joins <c>name = value</c> written with blanks
    /// around the sign into one <c>name=value</c> token (as ngspice's measure line reader does).
    /// </summary>
    internal static List<string> Tokenize(string text, SourceLocation location)
    {
        var raw = new List<string>();
        var sb = new StringBuilder();
        int depth = 0;
        char quote = '\0';
        foreach (char ch in text)
        {
            if (quote != '\0')
            {
                sb.Append(ch);
                if (ch == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (ch)
            {
                case '\'' or '"':
                    quote = ch;
                    sb.Append(ch);
                    continue;
                case '(' or '{':
                    depth++;
                    break;
                case ')' or '}':
                    depth--;
                    if (depth < 0)
                    {
                        throw new SpiceParseException(location, $".measure: unbalanced '{ch}' in '{text}'");
                    }

                    break;
            }

            if (char.IsWhiteSpace(ch) && depth == 0)
            {
                if (sb.Length > 0)
                {
                    raw.Add(sb.ToString());
                    sb.Clear();
                }

                continue;
            }

            if (!char.IsWhiteSpace(ch))
            {
                sb.Append(ch);
            }
        }

        if (quote != '\0' || depth != 0)
        {
            throw new SpiceParseException(location, $".measure: unterminated {(quote != '\0' ? "quote" : "parenthesis")} in '{text}'");
        }

        if (sb.Length > 0)
        {
            raw.Add(sb.ToString());
        }

        var tokens = new List<string>(raw.Count);
        for (int i = 0; i < raw.Count; i++)
        {
            string t = raw[i];
            while ((t.EndsWith('=') || (i + 1 < raw.Count && raw[i + 1].StartsWith('='))) && i + 1 < raw.Count)
            {
                t += raw[++i];
            }

            tokens.Add(t);
        }

        return tokens;
    }

    private static SpiceParseException Error(SourceLocation location, string name, string message) =>
        new(location, $".measure {name}: {message}");
}

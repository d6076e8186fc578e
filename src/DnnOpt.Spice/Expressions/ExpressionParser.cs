using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Expressions;

/// <summary>
/// Parses ngspice parameter expressions: numbers with SPICE suffixes, parameter names, <c>+ - * /</c>, power as
/// <c>**</c> or <c>^</c> (right-associative, binding tighter than unary minus), comparisons, <c>&amp;&amp; || !</c>,
/// the ternary <c>c ? a : b</c> and the functions listed in <see cref="Functions"/>.
/// </summary>
public static class ExpressionParser
{
    private static readonly Dictionary<string, (int MinArgs, int MaxArgs, Func<double[], double> F)> Functions =
        new(StringComparer.Ordinal)
        {
            ["sqrt"] = (1, 1, a => Math.Sqrt(a[0])),
            ["exp"] = (1, 1, a => Math.Exp(a[0])),
            ["log"] = (1, 1, a => Math.Log(a[0])),
            ["ln"] = (1, 1, a => Math.Log(a[0])),
            ["log10"] = (1, 1, a => Math.Log10(a[0])),
            ["abs"] = (1, 1, a => Math.Abs(a[0])),
            ["min"] = (2, 2, a => Math.Min(a[0], a[1])),
            ["max"] = (2, 2, a => Math.Max(a[0], a[1])),
            ["pow"] = (2, 2, a => Math.Pow(a[0], a[1])),
            ["pwr"] = (2, 2, a => Math.CopySign(Math.Pow(Math.Abs(a[0]), a[1]), a[0])),
            ["sin"] = (1, 1, a => Math.Sin(a[0])),
            ["cos"] = (1, 1, a => Math.Cos(a[0])),
            ["tan"] = (1, 1, a => Math.Tan(a[0])),
            ["atan"] = (1, 1, a => Math.Atan(a[0])),
            ["asin"] = (1, 1, a => Math.Asin(a[0])),
            ["acos"] = (1, 1, a => Math.Acos(a[0])),
            ["sinh"] = (1, 1, a => Math.Sinh(a[0])),
            ["cosh"] = (1, 1, a => Math.Cosh(a[0])),
            ["tanh"] = (1, 1, a => Math.Tanh(a[0])),
            ["floor"] = (1, 1, a => Math.Floor(a[0])),
            ["ceil"] = (1, 1, a => Math.Ceiling(a[0])),
            ["int"] = (1, 1, a => Math.Truncate(a[0])),
            ["nint"] = (1, 1, a => Math.Round(a[0], MidpointRounding.AwayFromZero)),
            ["sgn"] = (1, 1, a => Math.Sign(a[0])),
        };

    /// <summary>Parses a complete expression.</summary>
    /// <param name="text">The expression text, without surrounding braces or quotes.</param>
    /// <returns>The expression tree.</returns>
    /// <exception cref="ExpressionException">The text is not a valid expression; the message says where.</exception>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = new Parser(text);
        Expression e = p.ParseTernary();
        p.SkipSpace();
        if (!p.AtEnd)
        {
            throw new ExpressionException($"unexpected '{p.Rest}' in expression '{text}'");
        }

        return e;
    }

    /// <summary>True when <paramref name="name"/> is a built-in function name.</summary>
    /// <param name="name">Lower-case name.</param>
    /// <returns>Whether it is a function.</returns>
    public static bool IsFunction(string name) => Functions.ContainsKey(name);

    private sealed class Parser(string text)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public string Rest => text[_pos..];

        public void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        public Expression ParseTernary()
        {
            Expression condition = ParseOr();
            if (Accept("?"))
            {
                Expression a = ParseTernary();
                Expect(":");
                Expression b = ParseTernary();
                return new ConditionalExpression(condition, a, b);
            }

            return condition;
        }

        private Expression ParseOr()
        {
            Expression left = ParseAnd();
            while (Accept("||"))
            {
                left = new BinaryExpression(BinaryOperator.Or, left, ParseAnd());
            }

            return left;
        }

        private Expression ParseAnd()
        {
            Expression left = ParseEquality();
            while (Accept("&&"))
            {
                left = new BinaryExpression(BinaryOperator.And, left, ParseEquality());
            }

            return left;
        }

        private Expression ParseEquality()
        {
            Expression left = ParseRelational();
            while (true)
            {
                if (Accept("=="))
                {
                    left = new BinaryExpression(BinaryOperator.Equal, left, ParseRelational());
                }
                else if (Accept("!="))
                {
                    left = new BinaryExpression(BinaryOperator.NotEqual, left, ParseRelational());
                }
                else
                {
                    return left;
                }
            }
        }

        private Expression ParseRelational()
        {
            Expression left = ParseAdditive();
            while (true)
            {
                if (Accept("<="))
                {
                    left = new BinaryExpression(BinaryOperator.LessEqual, left, ParseAdditive());
                }
                else if (Accept(">="))
                {
                    left = new BinaryExpression(BinaryOperator.GreaterEqual, left, ParseAdditive());
                }
                else if (Accept("<"))
                {
                    left = new BinaryExpression(BinaryOperator.Less, left, ParseAdditive());
                }
                else if (Accept(">"))
                {
                    left = new BinaryExpression(BinaryOperator.Greater, left, ParseAdditive());
                }
                else
                {
                    return left;
                }
            }
        }

        private Expression ParseAdditive()
        {
            Expression left = ParseMultiplicative();
            while (true)
            {
                if (Accept("+"))
                {
                    left = new BinaryExpression(BinaryOperator.Add, left, ParseMultiplicative());
                }
                else if (Accept("-"))
                {
                    left = new BinaryExpression(BinaryOperator.Subtract, left, ParseMultiplicative());
                }
                else
                {
                    return left;
                }
            }
        }

        private Expression ParseMultiplicative()
        {
            Expression left = ParseUnary();
            while (true)
            {
                SkipSpace();
                if (Peek("**"))
                {
                    return left;
                }

                if (Accept("*"))
                {
                    left = new BinaryExpression(BinaryOperator.Multiply, left, ParseUnary());
                }
                else if (Accept("/"))
                {
                    left = new BinaryExpression(BinaryOperator.Divide, left, ParseUnary());
                }
                else
                {
                    return left;
                }
            }
        }

        private Expression ParseUnary()
        {
            if (Accept("-"))
            {
                return new UnaryExpression(UnaryOperator.Negate, ParseUnary());
            }

            if (Accept("+"))
            {
                return ParseUnary();
            }

            if (!Peek("!=") && Accept("!"))
            {
                return new UnaryExpression(UnaryOperator.Not, ParseUnary());
            }

            return ParsePower();
        }

        private Expression ParsePower()
        {
            Expression b = ParsePrimary();
            if (Accept("**") || Accept("^"))
            {
                // Right-associative: 2^3^2 = 2^9; the exponent may carry its own sign (2^-1).
                return new BinaryExpression(BinaryOperator.Power, b, ParseUnary());
            }

            return b;
        }

        private Expression ParsePrimary()
        {
            SkipSpace();
            if (AtEnd)
            {
                throw new ExpressionException($"expression '{text}' ends where a value was expected");
            }

            char c = text[_pos];
            if (Accept("("))
            {
                Expression inner = ParseTernary();
                Expect(")");
                return inner;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < text.Length && char.IsAsciiDigit(text[_pos + 1])))
            {
                int used = SpiceNumber.ScanNumber(text.AsSpan(_pos), out double value);
                if (used == 0)
                {
                    throw new ExpressionException($"bad number at '{Rest}' in expression '{text}'");
                }

                _pos += used;
                return new ConstantExpression(value);
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] == '_' || text[_pos] == '.'))
                {
                    _pos++;
                }

                string name = text[start.._pos].ToLowerInvariant();
                SkipSpace();
                if (Peek("("))
                {
                    if (!Functions.TryGetValue(name, out var f))
                    {
                        throw new ExpressionException($"unsupported function '{name}' in expression '{text}'");
                    }

                    Accept("(");
                    var args = new List<Expression>();
                    if (!Accept(")"))
                    {
                        do
                        {
                            args.Add(ParseTernary());
                        }
                        while (Accept(","));
                        Expect(")");
                    }

                    if (args.Count < f.MinArgs || args.Count > f.MaxArgs)
                    {
                        throw new ExpressionException($"function '{name}' takes {f.MinArgs} argument(s), got {args.Count} in '{text}'");
                    }

                    return new FunctionCall(name, f.F, [.. args]);
                }

                if (name == "pi")
                {
                    return new ConstantExpression(Math.PI);
                }

                return new ParameterReference(name);
            }

            throw new ExpressionException($"unexpected '{c}' in expression '{text}'");
        }

        private bool Peek(string token)
        {
            SkipSpace();
            return string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0;
        }

        private bool Accept(string token)
        {
            if (Peek(token))
            {
                _pos += token.Length;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Accept(token))
            {
                throw new ExpressionException($"expected '{token}' at '{Rest}' in expression '{text}'");
            }
        }
    }
}

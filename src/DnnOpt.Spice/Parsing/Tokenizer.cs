using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Parsing;

/// <summary>Kinds of netlist tokens.</summary>
internal enum TokenKind
{
    Word,
    Expression,
    Equals,
    OpenParen,
    CloseParen,
}

/// <summary>A netlist token; <see cref="Text"/> of an expression token excludes its braces or quotes.</summary>
internal readonly record struct Token(TokenKind Kind, string Text)
{
    public bool IsWord(string word) => Kind == TokenKind.Word && Text == word;

    public override string ToString() => Kind switch
    {
        TokenKind.Expression => "{" + Text + "}",
        TokenKind.Equals => "=",
        TokenKind.OpenParen => "(",
        TokenKind.CloseParen => ")",
        _ => Text,
    };
}

/// <summary>Splits a logical line into words, <c>{expr}</c>/<c>'expr'</c> tokens, <c>=</c> and parentheses; commas separate like spaces.</summary>
internal static class Tokenizer
{
    /// <summary>
    /// Tokenizes into <paramref name="tokens"/> (cleared first, so one list serves a whole deck). With a
    /// <paramref name="pool"/>, every text but the first word's (an element's name, unique in its body) is the pool's
    /// copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tokenize(string text, SourceLocation location, List<Token> tokens, NamePool? pool)
    {
        tokens.Clear();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
                continue;
            }

            switch (c)
            {
                case '=':
                    tokens.Add(new Token(TokenKind.Equals, "="));
                    i++;
                    continue;
                case '(':
                    tokens.Add(new Token(TokenKind.OpenParen, "("));
                    i++;
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.CloseParen, ")"));
                    i++;
                    continue;
                case '{':
                    {
                        int depth = 0;
                        int start = i;
                        for (; i < text.Length; i++)
                        {
                            if (text[i] == '{')
                            {
                                depth++;
                            }
                            else if (text[i] == '}' && --depth == 0)
                            {
                                break;
                            }
                        }

                        if (i >= text.Length)
                        {
                            throw new SpiceParseException(location, $"unbalanced '{{' in '{text[start..]}'");
                        }

                        tokens.Add(new Token(TokenKind.Expression, Text(text.AsSpan((start + 1)..i), tokens, pool)));
                        i++;
                        continue;
                    }

                case '\'':
                case '"':
                    {
                        int end = text.IndexOf(c, i + 1);
                        if (end < 0)
                        {
                            throw new SpiceParseException(location, $"unterminated quote in '{text[i..]}'");
                        }

                        tokens.Add(new Token(TokenKind.Expression, Text(text.AsSpan((i + 1)..end), tokens, pool)));
                        i = end + 1;
                        continue;
                    }

                case '}':
                    throw new SpiceParseException(location, $"unbalanced '}}' in '{text}'");
                default:
                    {
                        int start = i;
                        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '(' or ')' or ',' or '{' or '}' or '\'' or '"'))
                        {
                            i++;
                        }

                        tokens.Add(new Token(TokenKind.Word, Text(text.AsSpan(start..i), tokens, pool)));
                        continue;
                    }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Text(ReadOnlySpan<char> text, List<Token> tokens, NamePool? pool) =>
        pool is null || tokens.Count == 0 ? text.ToString() : pool.Get(text);
}

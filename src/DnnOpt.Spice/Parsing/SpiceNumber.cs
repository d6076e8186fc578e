using System.Globalization;
using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Parsing;

/// <summary>
/// SPICE numeric literals: a decimal number with optional exponent followed by an optional scale suffix
/// (<c>t g meg k m mil u n p f</c>, case-insensitive); letters after the suffix are units and are ignored, as SPICE
/// does (<c>10kohm</c> = 1e4, <c>3.3v</c> = 3.3, <c>1mil</c> = 25.4e-6).
/// </summary>
public static class SpiceNumber
{
    /// <summary>Parses a whole token as a SPICE number.</summary>
    /// <param name="text">The token.</param>
    /// <param name="value">The value when the token is a number.</param>
    /// <returns>True when the whole token is a number with optional suffix and unit letters.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        int used = ScanNumber(text, out value);
        if (used == 0)
        {
            return false;
        }

        // Whatever follows the suffix must be unit letters only (SPICE ignores them); "1.5.3" or "2k*3" is not a number.
        for (int i = used; i < text.Length; i++)
        {
            if (!char.IsAsciiLetter(text[i]) && text[i] != '_')
            {
                value = 0;
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Scans a number with its scale suffix and trailing unit letters at the start of <paramref name="text"/>.
    /// </summary>
    /// <param name="text">Text starting with a digit or a decimal point (a sign is not part of a SPICE number here).</param>
    /// <param name="value">The scaled value.</param>
    /// <returns>The number of characters consumed, including suffix and unit letters; 0 when no number starts here.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ScanNumber(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        int i = 0;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            i++;
        }

        bool digits = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits = true;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits = true;
            }
        }

        if (!digits)
        {
            return 0;
        }

        // An exponent only when digits follow: "1e" alone would be a unit letter, "1e-3" is an exponent.
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int j = i + 1;
            if (j < text.Length && (text[j] == '+' || text[j] == '-'))
            {
                j++;
            }

            if (j < text.Length && char.IsAsciiDigit(text[j]))
            {
                while (j < text.Length && char.IsAsciiDigit(text[j]))
                {
                    j++;
                }

                i = j;
            }
        }

        if (!double.TryParse(text[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out double mantissa))
        {
            return 0;
        }

        double scale = 1.0;
        int rest = i;
        if (rest < text.Length && char.IsAsciiLetter(text[rest]))
        {
            ReadOnlySpan<char> tail = text[rest..];
            if (StartsWith(tail, "meg"))
            {
                scale = 1e6;
            }
            else if (StartsWith(tail, "mil"))
            {
                scale = 25.4e-6;
            }
            else
            {
                scale = char.ToLowerInvariant(tail[0]) switch
                {
                    't' => 1e12,
                    'g' => 1e9,
                    'k' => 1e3,
                    'm' => 1e-3,
                    'u' => 1e-6,
                    'n' => 1e-9,
                    'p' => 1e-12,
                    'f' => 1e-15,
                    _ => 1.0,
                };
            }

            while (rest < text.Length && char.IsAsciiLetter(text[rest]))
            {
                rest++;
            }
        }

        value = mantissa * scale;
        return rest;
    }

    /// <summary>Formats a value round-trippably with the invariant culture (used in messages and CSV).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The "R" representation.</returns>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool StartsWith(ReadOnlySpan<char> text, string prefix) =>
        text.Length >= prefix.Length && text[..prefix.Length].Equals(prefix, StringComparison.OrdinalIgnoreCase);
}

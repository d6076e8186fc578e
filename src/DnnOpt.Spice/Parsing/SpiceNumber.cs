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
    public static bool TryParse(ReadOnlySpan<char> text, out double value) => TryParse(text, out value, netlist: false);

    /// <summary>
    /// Parses a whole netlist token as ngspice's netlist reader (INPevaluate) does: the digits as one integer mantissa
    /// times 10 to the power of (exponent + suffix − fraction digits), so <c>0.2n</c> is 2·10⁻¹⁰ = 2e-10 exactly where
    /// <see cref="TryParse(ReadOnlySpan{char}, out double)"/> gives 0.2·1e-9 = 2.0000000000000003e-10 (as ngspice's
    /// front end, which reads <c>.meas</c> windows, does). A PULSE corner then sits on ngspice's time point to the bit.
    /// </summary>
    /// <param name="text">The token.</param>
    /// <param name="value">The value when the token is a number.</param>
    /// <returns>True when the whole token is a number with optional suffix and unit letters.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseNetlist(ReadOnlySpan<char> text, out double value) => TryParse(text, out value, netlist: true);

    private static bool TryParse(ReadOnlySpan<char> text, out double value, bool netlist)
    {
        int used = ScanNumber(text, out value, netlist);
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
    public static int ScanNumber(ReadOnlySpan<char> text, out double value) => ScanNumber(text, out value, netlist: false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanNumber(ReadOnlySpan<char> text, out double value, bool netlist)
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
        int power = 0;
        bool mil = false;
        int rest = i;
        if (rest < text.Length && char.IsAsciiLetter(text[rest]))
        {
            ReadOnlySpan<char> tail = text[rest..];
            if (StartsWith(tail, "meg"))
            {
                power = 6;
            }
            else if (StartsWith(tail, "mil"))
            {
                mil = true;
            }
            else
            {
                power = char.ToLowerInvariant(tail[0]) switch
                {
                    't' => 12,
                    'g' => 9,
                    'k' => 3,
                    'm' => -3,
                    'u' => -6,
                    'n' => -9,
                    'p' => -12,
                    'f' => -15,
                    _ => 0,
                };
            }

            scale = mil ? 25.4e-6 : Pow10[power + 15];

            while (rest < text.Length && char.IsAsciiLetter(text[rest]))
            {
                rest++;
            }
        }

        value = netlist ? NetlistValue(text[..i], power, mil) : mantissa * scale;
        return rest;
    }

    /// <summary>The powers of ten of the scale suffixes, 1e-15 .. 1e12 (index = exponent + 15).</summary>
    private static readonly double[] Pow10 = BuildPow10();

    private static double[] BuildPow10()
    {
        var p = new double[28];
        for (int e = -15; e <= 12; e++)
        {
            p[e + 15] = double.Parse("1e" + e.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return p;
    }

    /// <summary>
    /// INPevaluate's arithmetic: every digit into one mantissa (10·m + d), the fraction digits, the exponent and the
    /// suffix summed into one power of ten, then mantissa × 10^power (<c>mil</c> multiplies the mantissa by 25.4).
    /// </summary>
    private static double NetlistValue(ReadOnlySpan<char> number, int suffixPower, bool mil)
    {
        double sign = 1;
        int i = 0;
        if (number[0] == '+' || number[0] == '-')
        {
            sign = number[0] == '-' ? -1 : 1;
            i++;
        }

        double m = 0;
        int power = suffixPower;
        for (; i < number.Length && char.IsAsciiDigit(number[i]); i++)
        {
            m = (10 * m) + (number[i] - '0');
        }

        if (i < number.Length && number[i] == '.')
        {
            for (i++; i < number.Length && char.IsAsciiDigit(number[i]); i++)
            {
                m = (10 * m) + (number[i] - '0');
                power--;
            }
        }

        if (i < number.Length && (number[i] == 'e' || number[i] == 'E'))
        {
            i++;
            int expSign = 1;
            if (number[i] == '+' || number[i] == '-')
            {
                expSign = number[i] == '-' ? -1 : 1;
                i++;
            }

            int e = 0;
            for (; i < number.Length && char.IsAsciiDigit(number[i]); i++)
            {
                e = Math.Min((10 * e) + (number[i] - '0'), 100000);
            }

            power += expSign * e;
        }

        if (mil)
        {
            // INPevaluate: the mantissa times 25.4, scaled by 1e-6.
            m *= 25.4;
            power -= 6;
        }

        return sign * m * Math.Pow(10, power);
    }

    /// <summary>Formats a value round-trippably with the invariant culture (used in messages and CSV).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The "R" representation.</returns>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool StartsWith(ReadOnlySpan<char> text, string prefix) =>
        text.Length >= prefix.Length && text[..prefix.Length].Equals(prefix, StringComparison.OrdinalIgnoreCase);
}

using System.Globalization;

namespace DnnOpt.Cli;

/// <summary>Engineering notation with SI prefixes (ASCII 'u' for micro), invariant culture.</summary>
internal static class Units
{
    private static readonly (double Factor, string Prefix)[] Prefixes =
    [
        (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "u"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f"),
    ];

    private static readonly HashSet<string> PrefixedUnits = new(StringComparer.Ordinal)
    {
        "V", "A", "W", "Hz", "F", "H", "s", "m", "S", "Ohm", "ohm", "C", "J", "V/s", "A/V",
    };

    /// <summary>Formats <paramref name="value"/> with 5 significant digits and a prefix when a unit is given.</summary>
    public static string Format(double value, string unit)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        // Only unprefixed SI symbols take a prefix: "dB", "V/V", "%" read better as plain numbers, and a unit that
        // already carries one ("mV", "ps") or is squared ("m^2") would otherwise print as "383 mmV".
        if (unit.Length == 0 || !PrefixedUnits.Contains(unit))
        {
            string plain = value.ToString("G6", CultureInfo.InvariantCulture);
            return unit.Length == 0 ? plain : plain + " " + unit;
        }

        double a = Math.Abs(value);
        if (a == 0)
        {
            return "0 " + unit;
        }

        foreach ((double f, string p) in Prefixes)
        {
            if (a >= f * 0.9999995 || f == 1e-15)
            {
                return (value / f).ToString("G5", CultureInfo.InvariantCulture) + " " + p + unit;
            }
        }

        return value.ToString("G5", CultureInfo.InvariantCulture) + " " + unit;
    }
}

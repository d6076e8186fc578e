using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Parsing;

public sealed class SpiceNumberTests
{
    public static TheoryData<string, double> Numbers() => new()
    {
        { "1", 1 },
        { "1.5k", 1500 },
        { "10MEG", 10e6 },
        { "10meg", 10e6 },
        { "2mil", 2 * 25.4e-6 },
        { "3m", 3e-3 },
        { "4u", 4e-6 },
        { "5n", 5e-9 },
        { "6p", 6e-12 },
        { "7f", 7e-15 },
        { "8g", 8e9 },
        { "9t", 9e12 },
        { "1e-3", 1e-3 },
        { "2.5e3k", 2.5e6 },
        { "10kohm", 1e4 },
        { "3.3v", 3.3 },
        { "1ms", 1e-3 },
        { ".5", 0.5 },
        { "-2.5u", -2.5e-6 },
        { "1ohm", 1 },
        { "4farad", 4e-15 },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Parses_numbers_with_suffixes_and_units(string text, double expected)
    {
        Assert.True(SpiceNumber.TryParse(text, out double v));
        Tolerance.Close(expected, v, 1e-15, 0, text);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("2k*3")]
    [InlineData("")]
    [InlineData("e5")]
    public void Rejects_non_numbers(string text) => Assert.False(SpiceNumber.TryParse(text, out _));
    /// <summary>
    /// Netlist numbers carry ngspice 39.3's reader arithmetic to the bit: the values ngspice printed (numdgt=17) for
    /// voltage sources <c>v1 1 0 1.95n</c> etc. at the operating point; <c>.meas</c> numbers keep its front end's
    /// mantissa × suffix (0.2n one ulp above the netlist's 0.2n).
    /// </summary>
    [Theory]
    [InlineData("0.2n", 2.00000000000000007e-10, 2.0000000000000003e-10)]
    [InlineData("1.95n", 1.94999999999999968e-09, 1.95e-09)]
    [InlineData("2.2n", 2.20000000000000026e-09, 2.2000000000000003e-09)]
    [InlineData("0.3n", 2.99999999999999998e-10, 3e-10)]
    [InlineData("1.1u", 1.10000000000000006e-06, 1.1e-06)]
    [InlineData("0.7m", 6.99999999999999993e-04, 7e-4)]
    [InlineData("-2.5e3k", -2.5e6, -2.5e6)]
    [InlineData("2mil", 5.0799999999999995e-05, 5.08e-5)]
    public void Netlist_numbers_are_ngspices_bit_for_bit(string text, double netlist, double frontEnd)
    {
        Assert.True(SpiceNumber.TryParseNetlist(text, out double n));
        Assert.True(SpiceNumber.TryParse(text, out double f));
        Assert.Equal(BitConverter.DoubleToInt64Bits(netlist), BitConverter.DoubleToInt64Bits(n));
        Assert.Equal(BitConverter.DoubleToInt64Bits(frontEnd), BitConverter.DoubleToInt64Bits(f));
    }
}

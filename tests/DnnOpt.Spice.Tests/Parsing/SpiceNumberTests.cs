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
}

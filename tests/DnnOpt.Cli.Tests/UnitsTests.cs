namespace DnnOpt.Cli.Tests;

public sealed class UnitsTests
{
    [Theory]
    [InlineData(0.38305, "V", "383.05 mV")]
    [InlineData(2.5e-9, "s", "2.5 ns")]
    [InlineData(3e7, "Hz", "30 MHz")]
    [InlineData(1.2e-13, "m^2", "1.2E-13 m^2")] // a prefix on a squared unit would be read as squared too
    [InlineData(383.05, "mV", "383.05 mV")] // already prefixed: no "mmV"
    [InlineData(0.0125, "ps", "0.0125 ps")]
    [InlineData(63.2, "dB", "63.2 dB")]
    [InlineData(12.5, "", "12.5")]
    public void Prefixes_only_unprefixed_si_units(double value, string unit, string expected) =>
        Assert.Equal(expected, Units.Format(value, unit));
}

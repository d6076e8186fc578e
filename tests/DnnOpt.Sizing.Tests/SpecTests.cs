namespace DnnOpt.Sizing.Tests;

public sealed class SpecTests
{
    [Theory]
    [InlineData("gain_db > 40", "gain_db", SpecKind.AtLeast, 40.0)]
    [InlineData("ugf>30meg", "ugf", SpecKind.AtLeast, 30e6)]
    [InlineData("Power < 1.5m", "power", SpecKind.AtMost, 1.5e-3)]
    [InlineData("vout >= -0.25", "vout", SpecKind.AtLeast, -0.25)]
    [InlineData("noise <= 20n", "noise", SpecKind.AtMost, 20e-9)]
    public void Parses_metric_direction_and_bound_with_spice_suffixes(string text, string metric, SpecKind kind, double bound)
    {
        Spec s = Spec.Parse(text);
        Assert.Equal(metric, s.Metric);
        Assert.Equal(kind, s.Kind);
        Assert.Equal(bound, s.Bound, 1e-12 * Math.Abs(bound));
    }

    [Theory]
    [InlineData("gain 40")]
    [InlineData("> 40")]
    [InlineData("gain > forty")]
    [InlineData("gain >")]
    public void Rejects_malformed_specs_quoting_them(string text)
    {
        var e = Assert.Throws<FormatException>(() => Spec.Parse(text));
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constraints_are_met_at_or_below_zero_and_normalised_by_the_bound()
    {
        Spec atLeast = Spec.Parse("gain > 60");
        Assert.Equal(10.0, atLeast.Constraint(50));
        Assert.Equal(-5.0, atLeast.Constraint(65));
        Assert.Equal(60.0, atLeast.EffectiveScale);
        Spec atMost = Spec.Parse("power < -2");
        Assert.Equal(1.0, atMost.Constraint(-1));
        Assert.Equal(2.0, atMost.EffectiveScale);
        Assert.Equal(1.0, Spec.Parse("offset < 0").EffectiveScale);
        Assert.Equal(0.5, (atLeast with { Scale = 0.5 }).EffectiveScale);
        Assert.Equal("gain_min", atLeast.ConstraintName);
        Assert.Equal("power_max", atMost.ConstraintName);
    }
}

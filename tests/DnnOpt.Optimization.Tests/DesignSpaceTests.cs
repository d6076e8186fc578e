namespace DnnOpt.Optimization.Tests;

public class DesignSpaceTests
{
    [Fact]
    public void Linear_maps_ends_and_middle()
    {
        var space = new DesignSpace([new DesignVariable("w", 0.24, 150)]);
        Tolerance.Close(0.24, space.ToPhysical([0.0])[0]);
        Tolerance.Close(150, space.ToPhysical([1.0])[0]);
        Tolerance.Close(75.12, space.ToPhysical([0.5])[0]);
        Tolerance.Close(0.5, space.ToUnit([75.12])[0]);
    }

    [Fact]
    public void Log_midpoint_is_the_geometric_mean()
    {
        var space = new DesignSpace([new DesignVariable("c", 100e-15, 10e-12, Scale: VariableScale.Log)]);
        Tolerance.Close(1e-12, space.ToPhysical([0.5])[0], relative: 1e-12);
        Tolerance.Close(100e-15, space.ToPhysical([0.0])[0], relative: 1e-12);
        Tolerance.Close(10e-12, space.ToPhysical([1.0])[0], relative: 1e-12);
        Tolerance.Close(0.25, space.ToUnit([Math.Sqrt(100e-15 * 1e-12)])[0], relative: 1e-12);
    }

    [Fact]
    public void Integer_values_get_equal_shares_of_the_unit_interval()
    {
        var space = new DesignSpace([new DesignVariable("n", 1, 20, VariableKind.Integer)]);
        var counts = new int[21];
        const int steps = 20000;
        for (int i = 0; i < steps; i++)
        {
            double x = space.ToPhysical([(i + 0.5) / steps])[0];
            Assert.Equal(Math.Floor(x), x);
            counts[(int)x]++;
        }

        Assert.Equal(0, counts[0]);
        for (int v = 1; v <= 20; v++)
        {
            Assert.Equal(steps / 20, counts[v]);
        }
    }

    [Theory]
    [InlineData(VariableScale.Linear)]
    [InlineData(VariableScale.Log)]
    public void Integer_round_trip_is_exact(VariableScale scale)
    {
        var space = new DesignSpace([new DesignVariable("n", 1, 20, VariableKind.Integer, scale)]);
        for (int v = 1; v <= 20; v++)
        {
            double u = space.ToUnit([v])[0];
            Assert.InRange(u, 0.0, 1.0);
            Assert.Equal(v, space.ToPhysical([u])[0]);
        }
    }

    [Fact]
    public void Out_of_range_unit_coordinates_are_clamped_and_nan_rejected()
    {
        var space = new DesignSpace([new DesignVariable("a", -1, 1), new DesignVariable("b", 2, 8, Scale: VariableScale.Log)]);
        var x = space.ToPhysical([-0.3, 1.7]);
        Assert.Equal(-1, x[0]);
        Assert.Equal(8, x[1]);
        Assert.Throws<ArgumentException>(() => space.ToPhysical([double.NaN, 0.5]));
        Assert.Throws<ArgumentException>(() => space.ToPhysical([0.5]));
    }

    public static TheoryData<DesignVariable> InvalidVariables => new()
    {
        new DesignVariable("", 0, 1),
        new DesignVariable("a,b", 0, 1),
        new DesignVariable("a", 1, 1),
        new DesignVariable("a", 2, 1),
        new DesignVariable("a", double.NaN, 1),
        new DesignVariable("a", 0, double.PositiveInfinity),
        new DesignVariable("a", 0.5, 3, VariableKind.Integer),
        new DesignVariable("a", 0, 1, Scale: VariableScale.Log),
        new DesignVariable("a", -1, 1, Scale: VariableScale.Log),
        new DesignVariable("a", 0, 5, VariableKind.Integer, VariableScale.Log),
    };

    [Theory]
    [MemberData(nameof(InvalidVariables))]
    public void Invalid_variables_are_rejected(DesignVariable variable)
    {
        var ex = Assert.Throws<ArgumentException>(() => new DesignSpace([variable]));
        Assert.False(string.IsNullOrEmpty(ex.Message));
    }

    [Fact]
    public void Duplicate_names_and_empty_spaces_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new DesignSpace([new DesignVariable("a", 0, 1), new DesignVariable("a", 0, 2)]));
        Assert.Throws<ArgumentException>(() => new DesignSpace([]));
    }

    [Fact]
    public void Index_of_finds_names()
    {
        var space = new DesignSpace([new DesignVariable("a", 0, 1), new DesignVariable("b", 0, 2)]);
        Assert.Equal(1, space.IndexOf("b"));
        Assert.Equal(-1, space.IndexOf("c"));
        Assert.Equal(2, space.Dimension);
    }
}

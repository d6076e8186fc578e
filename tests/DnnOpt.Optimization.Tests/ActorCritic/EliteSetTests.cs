using DnnOpt.Optimization.ActorCritic;

namespace DnnOpt.Optimization.Tests.ActorCritic;

public sealed class EliteSetTests
{
    [Fact]
    public void Elites_are_the_best_finite_designs_and_the_box_spans_them()
    {
        double[] designs =
        [
            0.1, 0.9,
            0.5, 0.5,
            0.3, 0.2,
            0.8, 0.4,
            0.6, 0.7,
        ];
        double[] fom = [3.0, double.PositiveInfinity, 1.0, 2.0, 1.0];
        EliteSet elites = EliteSet.Select(designs, fom, 2, 3);
        Assert.Equal([2, 4, 3], elites.Members.ToArray());
        Assert.Equal([0.3, 0.2], elites.Lower.ToArray());
        Assert.Equal([0.8, 0.7], elites.Upper.ToArray());
    }

    [Fact]
    public void Violation_is_eq6()
    {
        EliteSet elites = EliteSet.Select([0.2, 0.4, 0.6, 0.5], [1.0, 2.0], 2, 2);
        double[] v = new double[2];
        elites.Violation([0.1, 0.45], v);
        Assert.Equal(0.1, v[0], 1e-15);
        Assert.Equal(0.0, v[1]);
        elites.Violation([0.7, 0.65], v);
        Assert.Equal(0.1, v[0], 1e-15);
        Assert.Equal(0.15, v[1], 1e-15);
    }

    [Fact]
    public void Expanded_box_widens_each_side_by_the_fraction_of_its_width_within_the_cube()
    {
        // Box [0.3, 0.8] x [0.2, 0.7]: widths 0.5 and 0.5.
        EliteSet elites = EliteSet.Select([0.3, 0.7, 0.8, 0.2], [1.0, 2.0], 2, 2);
        EliteSet wide = elites.Expanded(0.5);
        Assert.Equal([0, 1], wide.Members.ToArray());
        Assert.Equal(0.05, wide.Lower[0], 1e-15);
        Assert.Equal(1.0, wide.Upper[0]);        // 0.8 + 0.25 clipped to the cube
        Assert.Equal(0.0, wide.Lower[1]);        // 0.2 - 0.25 clipped
        Assert.Equal(0.95, wide.Upper[1], 1e-15);
        double[] v = new double[2];
        wide.Violation([0.04, 0.96], v);
        Assert.Equal(0.01, v[0], 1e-15);
        Assert.Equal(0.01, v[1], 1e-15);
        Assert.Same(elites, elites.Expanded(0));
        Assert.Equal([0.3, 0.2], elites.Lower.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => elites.Expanded(-0.1));
    }

    [Fact]
    public void Fewer_finite_designs_than_elites_keeps_all_of_them_and_none_is_an_error()
    {
        Assert.Single(EliteSet.Select([0.1, 0.2], [5.0], 2, 10).Members.ToArray());
        Assert.Throws<ArgumentException>(() => EliteSet.Select([0.1, 0.2], [double.PositiveInfinity], 2, 10));
    }
}

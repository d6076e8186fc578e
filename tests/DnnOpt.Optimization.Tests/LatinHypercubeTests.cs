namespace DnnOpt.Optimization.Tests;

public class LatinHypercubeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(50, 20)]
    [InlineData(301, 5)]
    public void Every_stratum_of_every_coordinate_holds_one_point(int n, int d)
    {
        var points = LatinHypercube.Sample(n, d, new Random(42));
        Assert.Equal(n, points.Length);
        for (int j = 0; j < d; j++)
        {
            var strata = points.Select(p => (int)Math.Floor(p[j] * n)).OrderBy(s => s).ToArray();
            Assert.Equal(Enumerable.Range(0, n), strata);
        }
    }

    [Fact]
    public void Same_seed_same_sample_other_seed_other_sample()
    {
        var a = LatinHypercube.Sample(20, 4, new Random(5));
        var b = LatinHypercube.Sample(20, 4, new Random(5));
        var c = LatinHypercube.Sample(20, 4, new Random(6));
        Assert.Equal(a.SelectMany(r => r), b.SelectMany(r => r));
        Assert.NotEqual(a.SelectMany(r => r), c.SelectMany(r => r));
    }
}

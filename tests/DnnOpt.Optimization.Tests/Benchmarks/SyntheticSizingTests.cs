using DnnOpt.Optimization.Benchmarks;

namespace DnnOpt.Optimization.Tests.Benchmarks;

public class SyntheticSizingTests
{
    public static TheoryData<int, int, int> Sizes => new() { { 20, 29, 1 }, { 20, 29, 2 }, { 7, 3, 5 }, { 5, 9, 3 } };

    private static double Normalised(FunctionProblem p, Evaluation e, int i) => e.Constraints[i] / p.Constraints[i].Scale;

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Constructed_optimum_is_feasible_with_the_performance_constraints_active(int d, int m, int seed)
    {
        var p = SyntheticSizing.Create(d, m, seed);
        Assert.Equal(d, p.Space.Dimension);
        Assert.Equal(m, p.Constraints.Count);
        var e = p.Evaluate(p.Optimum!.X.ToArray());
        Tolerance.Close(p.Optimum.Value, e.Objective, relative: 1e-12);
        int active = 0;
        for (int i = 0; i < m; i++)
        {
            double g = Normalised(p, e, i);
            Assert.True(g <= 1e-12, $"constraint {p.Constraints[i].Name} = {g} at the optimum");
            if (Math.Abs(g) < 1e-9)
            {
                active++;
            }
        }

        Assert.Equal(Math.Min(d, m), active);
    }

    // Oracle: feasible designs near the optimum (where a wrong construction would show first) and anywhere in the
    // cube never beat it.
    [Theory]
    [MemberData(nameof(Sizes))]
    public void No_feasible_design_nearby_or_anywhere_beats_the_optimum(int d, int m, int seed)
    {
        var p = SyntheticSizing.Create(d, m, seed);
        var zStar = p.Space.ToUnit(p.Optimum!.X.ToArray());
        var rng = new Random(seed);
        int nearbyFeasible = 0;
        for (int s = 0; s < 3000; s++)
        {
            var z = zStar.Select(v => Math.Clamp(v + (0.06 * rng.NextDouble()) - 0.02, 0, 1)).ToArray();
            var e = p.Evaluate(p.Space.ToPhysical(z));
            if (e.IsFeasible)
            {
                nearbyFeasible++;
                Assert.True(e.Objective >= p.Optimum.Value * (1 - 1e-12), $"{e.Objective} < f* {p.Optimum.Value}");
            }
        }

        Assert.True(nearbyFeasible > 10, $"only {nearbyFeasible} feasible designs near the optimum");
        foreach (var z in LatinHypercube.Sample(3000, d, rng))
        {
            var e = p.Evaluate(p.Space.ToPhysical(z));
            Assert.True(!e.IsFeasible || e.Objective >= p.Optimum.Value, $"{e.Objective} < f* {p.Optimum.Value}");
        }
    }

    [Fact]
    public void Variables_look_like_a_sizing_problem_and_the_seed_fixes_the_problem()
    {
        var p = SyntheticSizing.Create();
        Assert.Equal("synthetic-20x29", p.Name);
        Assert.Contains(p.Space, v => v.Kind == VariableKind.Integer);
        Assert.Contains(p.Space, v => v.Scale == VariableScale.Log);
        Assert.Equal(p.Optimum!.Value, SyntheticSizing.Create().Optimum!.Value);
        Assert.NotEqual(p.Optimum.Value, SyntheticSizing.Create(seed: 9).Optimum!.Value);
        Assert.Equal("synthetic-20x29", BenchmarkSuite.ByName("synthetic-20x29")!.Name);
    }
}

using DnnOpt.Optimization.Benchmarks;

namespace DnnOpt.Optimization.Tests.Benchmarks;

public class BenchmarkSuiteTests
{
    // Tolerances follow the precision of each published optimum point: the number of significant digits printed
    // bounds how exactly f(x*) can reproduce f* and how close the active constraints come to 0.
    public static TheoryData<string, double, double> Published => new()
    {
        { "pressure-vessel", 1e-6, 1e-6 },   // x* printed to 7 digits
        { "welded-beam", 1e-5, 1e-4 },       // x* printed to 6 digits
        { "spring", 1e-6, 1e-5 },            // x* printed to 8 digits; g1 is ~1e-5-sensitive to d
        { "g04", 1e-12, 1e-12 },             // x* printed to 18 digits (CEC 2006 report)
        { "g06", 1e-12, 1e-12 },
        { "branin", 1e-12, 0 },              // exact: (pi, 2.275)
        { "hartmann6", 1e-5, 0 },            // x* printed to 5-6 digits
        { "ackley10", 0, 0 },
        { "rosenbrock10", 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void Published_optimum_point_attains_published_value_and_is_feasible(string name, double relative, double constraintTolerance)
    {
        var problem = BenchmarkSuite.ByName(name)!;
        var optimum = problem.Optimum!;
        var e = problem.Evaluate(optimum.X.ToArray());
        Assert.True(e.Succeeded, e.FailureReason);
        Tolerance.Close(optimum.Value, e.Objective, relative: relative, absolute: 1e-12, what: name);
        for (int i = 0; i < e.Constraints.Length; i++)
        {
            double normalised = e.Constraints[i] / problem.Constraints[i].Scale;
            Assert.True(normalised <= constraintTolerance, $"{name} constraint {problem.Constraints[i].Name} = {normalised} at the published optimum");
        }
    }

    [Fact]
    public void The_optimum_lies_inside_the_design_space()
    {
        foreach (var p in BenchmarkSuite.All())
        {
            var x = p.Optimum!.X;
            for (int i = 0; i < x.Count; i++)
            {
                Assert.InRange(x[i], p.Space[i].Lower, p.Space[i].Upper);
            }
        }
    }

    [Fact]
    public void Branin_has_three_equal_minima()
    {
        var p = BenchmarkSuite.Branin();
        foreach (double[] x in new[] { new[] { -Math.PI, 12.275 }, [Math.PI, 2.275], [3 * Math.PI, 2.475] })
        {
            Tolerance.Close(5 / (4 * Math.PI), p.Evaluate(x).Objective, relative: 1e-12);
        }
    }

    // A second, independent oracle: no feasible design of a large random sample beats the published optimum.
    [Fact]
    public void No_feasible_random_design_beats_the_published_optimum()
    {
        var random = new Random(2024);
        foreach (var p in BenchmarkSuite.All())
        {
            var points = LatinHypercube.Sample(4000, p.Space.Dimension, random);
            int feasible = 0;
            foreach (var u in points)
            {
                var e = p.Evaluate(p.Space.ToPhysical(u));
                if (e.IsFeasible)
                {
                    feasible++;
                    Assert.True(e.Objective >= p.Optimum!.Value - (1e-9 * Math.Max(1, Math.Abs(p.Optimum.Value))), $"{p.Name}: {e.Objective} below f* {p.Optimum.Value}");
                }
            }

            Assert.True(feasible > 0 || p.Name == "g06", $"{p.Name}: no feasible point in 4000 samples");
        }
    }

    [Fact]
    public void Constrained_problems_have_constraints_and_unconstrained_ones_a_success_threshold()
    {
        Assert.All(BenchmarkSuite.Constrained(), p => Assert.NotEmpty(p.Constraints));
        Assert.All(BenchmarkSuite.All().Where(p => p.Constraints.Count == 0), p => Assert.NotNull(p.Optimum!.SuccessThreshold));
        Assert.Equal(9, BenchmarkSuite.All().Select(p => p.Name).Distinct().Count());
    }
}

using DnnOpt.Optimization.Baselines;
using DnnOpt.Optimization.Benchmarks;
using DnnOpt.Optimization.Surrogates;

namespace DnnOpt.Optimization.Tests.Baselines;

public class SurrogateBaselineTests
{
    private static RunResult Run(IProblem problem, IOptimizer optimizer, int budget, int seed, int batch = 1) =>
        new OptimizationRunner().Run(problem, optimizer, new RunOptions { Budget = budget, BatchSize = batch }, new Random(seed));

    private static double Gap(FunctionProblem p, RunResult r) =>
        (r.BestFeasible!.Evaluation.Objective - p.Optimum!.Value) / Math.Max(1, Math.Abs(p.Optimum.Value));

    [Fact]
    public void Bo_wei_solves_branin_in_sixty_evaluations()
    {
        var p = BenchmarkSuite.Branin();
        Assert.InRange(Gap(p, Run(p, new BayesianOptimization(), 60, seed: 0)), 0, 1e-3);
    }

    [Fact]
    public void Bo_wei_finds_the_thin_feasible_crescent_of_g06()
    {
        // G6's feasible region is ~0.007 % of the box: random search needs ~15000 samples per feasible design.
        var p = BenchmarkSuite.G6();
        var r = Run(p, new BayesianOptimization(), 80, seed: 0);
        Assert.NotNull(r.FirstFeasibleEvaluation);
        Assert.InRange(Gap(p, r), 0, 0.05);
    }

    [Fact]
    public void Gaspad_solves_branin_and_the_spring()
    {
        var branin = BenchmarkSuite.Branin();
        Assert.InRange(Gap(branin, Run(branin, new Gaspad(), 100, seed: 0)), 0, 1e-3);

        var spring = BenchmarkSuite.TensionCompressionSpring();
        var r = Run(spring, new Gaspad(), 150, seed: 0);
        Assert.NotNull(r.BestFeasible);
        Assert.InRange(Gap(spring, r), 0, 0.1);
    }

    [Fact]
    public void Batch_mode_proposes_distinct_candidates()
    {
        var p = BenchmarkSuite.G4();
        foreach (IOptimizer optimizer in new IOptimizer[] { new BayesianOptimization(), new Gaspad() })
        {
            var r = Run(p, optimizer, 60, seed: 4, batch: 4);
            Assert.Equal(60, r.Evaluations);
            var units = r.Observations.Select(o => string.Join(',', o.Unit.ToArray())).ToList();
            Assert.Equal(units.Count, units.Distinct().Count());
        }
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(3.0)]
    [InlineData(-7.9)]
    public void Log_weighted_improvement_matches_the_formula_where_it_is_representable(double z)
    {
        const double sigma = 0.3, w = 0.5, tau = 1.0;
        double mu = tau - (z * sigma);
        double direct = sigma * ((w * z * NormalDistribution.Cdf(z)) + ((1 - w) * NormalDistribution.Pdf(z)));
        Tolerance.Close(Math.Log(direct), BayesianOptimization.LogWeightedImprovement(tau, mu, sigma, w), relative: 1e-9, absolute: 1e-9);
    }

    [Fact]
    public void Log_weighted_improvement_keeps_ranking_in_the_far_tail()
    {
        double previous = double.PositiveInfinity;
        for (double z = -5; z > -60; z -= 0.5)
        {
            double v = BayesianOptimization.LogWeightedImprovement(0, -z, 1, 0.5);
            Assert.True(double.IsFinite(v) && v < previous, $"z = {z}: {v} after {previous}");
            previous = v;
        }

        // Continuity where the asymptotic branch takes over (z = -8): relative error of the expansion is O(1/z^2).
        double inner = BayesianOptimization.LogWeightedImprovement(0, 7.999, 1, 0.5);
        double outer = BayesianOptimization.LogWeightedImprovement(0, 8.001, 1, 0.5);
        Assert.InRange(inner - outer, 0, 0.05);
    }

    [Fact]
    public void Log_cdf_is_continuous_at_the_asymptotic_switch()
    {
        Tolerance.Close(NormalDistribution.LogCdf(-29.999), NormalDistribution.LogCdf(-30.001), relative: 1e-3);
        Tolerance.Close(Math.Log(0.5), NormalDistribution.LogCdf(0), relative: 1e-14);
    }
}

using DnnOpt.Optimization.Baselines;
using DnnOpt.Optimization.Benchmarks;

namespace DnnOpt.Optimization.Tests.Baselines;

public class BaselineTests
{
    private static RunResult Run(IProblem problem, IOptimizer optimizer, int budget, int seed, int batch = 1) =>
        new OptimizationRunner().Run(problem, optimizer, new RunOptions { Budget = budget, BatchSize = batch }, new Random(seed));

    private static double Gap(FunctionProblem p, RunResult r) =>
        (r.BestFeasible!.Evaluation.Objective - p.Optimum!.Value) / Math.Max(1, Math.Abs(p.Optimum.Value));

    [Theory]
    [InlineData("spring", 3000)]
    [InlineData("welded-beam", 3000)]
    [InlineData("g04", 3000)]
    [InlineData("pressure-vessel", 3000)]
    public void Differential_evolution_reaches_within_one_percent_of_constrained_optima(string name, int budget)
    {
        var p = BenchmarkSuite.ByName(name)!;
        var r = Run(p, new DifferentialEvolution(), budget, seed: 0);
        Assert.NotNull(r.BestFeasible);
        double relative = (r.BestFeasible!.Evaluation.Objective - p.Optimum!.Value) / Math.Abs(p.Optimum.Value);
        Assert.InRange(relative, -1e-9, 0.01);
    }

    [Fact]
    public void Differential_evolution_solves_branin()
    {
        var p = BenchmarkSuite.Branin();
        Assert.InRange(Gap(p, Run(p, new DifferentialEvolution(), 1000, seed: 1)), 0, 1e-4);
    }

    [Fact]
    public void Differential_evolution_proposals_do_not_depend_on_the_batch_size()
    {
        // DE is generational, so asking for 1 or 7 trials at a time must walk through the same generations.
        var p = BenchmarkSuite.G4();
        var one = Run(p, new DifferentialEvolution(), 200, seed: 3, batch: 1);
        var seven = Run(p, new DifferentialEvolution(), 200, seed: 3, batch: 7);
        Assert.Equal(one.Observations.SelectMany(o => o.Unit.ToArray()), seven.Observations.SelectMany(o => o.Unit.ToArray()));
    }

    [Fact]
    public void Differential_evolution_never_loses_its_best_member()
    {
        // Selection is elitist per slot, so the best-so-far by feasibility rules only improves; check the trace.
        var p = BenchmarkSuite.WeldedBeam();
        var r = Run(p, new DifferentialEvolution(), 600, seed: 5);
        Observation? best = null;
        foreach (var o in r.Observations)
        {
            if (best is null || FeasibilityRules.Compare(o, best) < 0)
            {
                best = o;
            }
        }

        Assert.Same(r.BestFeasible, best);
    }

    [Theory]
    [InlineData("branin", 1000, 0.002)]
    [InlineData("hartmann6", 400, 0.01)]
    public void Simulated_annealing_reaches_the_optimum_region_of_small_problems(string name, int budget, double tolerance)
    {
        var p = BenchmarkSuite.ByName(name)!;
        Assert.InRange(Gap(p, Run(p, new SimulatedAnnealing(), budget, seed: 2)), 0, tolerance);
    }

    [Fact]
    public void Simulated_annealing_finds_the_feasible_region_of_the_spring()
    {
        var p = BenchmarkSuite.TensionCompressionSpring();
        var r = Run(p, new SimulatedAnnealing(), 1000, seed: 2);
        Assert.NotNull(r.BestFeasible);
        Assert.InRange(Gap(p, r), 0, 0.5);
    }

    [Fact]
    public void Simulated_annealing_from_a_start_design_anneals_around_it()
    {
        // Start in a corner of branin's cube: the first design is the start itself, and the warm-up neighbours lie
        // near it (random warm-up designs would average ~0.5 per coordinate from a corner).
        var p = BenchmarkSuite.ByName("branin")!;
        double[] start = [0.1, 0.9];
        var r = Run(p, new SimulatedAnnealing(new SimulatedAnnealingOptions { Start = start }), 200, seed: 4);
        Assert.Equal(start, r.Observations[0].Unit);
        double meanDistance = r.Observations.Skip(1).Take(9).Average(o => Math.Abs(o.Unit[0] - start[0]) + Math.Abs(o.Unit[1] - start[1])) / 2;
        Assert.InRange(meanDistance, 0.01, 0.25);

        // It still anneals to branin's optimum region (three global minima at 0.398).
        Assert.InRange(Gap(p, r), 0, 0.05);
        Assert.Throws<ArgumentException>(() => new SimulatedAnnealing(new SimulatedAnnealingOptions { Start = [0.5, 1.5] }));
    }

    [Fact]
    public void Feasibility_rules_follow_deb()
    {
        Assert.True(FeasibilityRules.Compare(0, 100, 0.1, 1) < 0);    // feasible beats infeasible whatever the objective
        Assert.True(FeasibilityRules.Compare(0, 1, 0, 2) < 0);        // feasible: objective decides
        Assert.True(FeasibilityRules.Compare(0.2, 1, 0.1, 50) > 0);   // infeasible: violation decides
        Assert.True(FeasibilityRules.Compare(double.PositiveInfinity, double.NaN, 5, 1) > 0); // failure is worst
        Assert.Equal(0, FeasibilityRules.Compare(0.3, 1, 0.3, 2));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new DifferentialEvolution(new DifferentialEvolutionOptions { PopulationSize = 3 }));
        Assert.Throws<ArgumentException>(() => new DifferentialEvolution(new DifferentialEvolutionOptions { CrossoverProbability = 1.5 }));
        Assert.Throws<ArgumentException>(() => new SimulatedAnnealing(new SimulatedAnnealingOptions { FinalTemperatureRatio = 2 }));
    }
}

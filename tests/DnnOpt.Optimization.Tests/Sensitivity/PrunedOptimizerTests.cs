using DnnOpt.Optimization.ActorCritic;
using DnnOpt.Optimization.Baselines;
using DnnOpt.Optimization.Sensitivity;

namespace DnnOpt.Optimization.Tests.Sensitivity;

public sealed class PrunedOptimizerTests
{
    /// <summary>
    /// Six variables in [0, 1]. Objective: (x0 - 0.3)^2 + 0.1 x1; constraint (failing at the centre):
    /// 1.3 - x1 - x2 &lt;= 0; a second constraint met everywhere near the centre, driven by x3: x3 - 2 &lt;= 0. x4, x5 do
    /// nothing. Only x1 and x2 move the failing constraint, so pruning must keep exactly those two.
    /// </summary>
    private sealed class Constructed : IProblem
    {
        public int Evaluations { get; private set; }

        public string Name => "constructed";

        public DesignSpace Space { get; } = new(Enumerable.Range(0, 6).Select(j => new DesignVariable($"x{j}", 0, 1)));

        public MetricInfo Objective { get; } = new("f", 1);

        public IReadOnlyList<MetricInfo> Constraints { get; } = [new("c_sum", 1), new("c_x3", 1)];

        public Evaluation Evaluate(ReadOnlySpan<double> x)
        {
            Evaluations++;
            double f = ((x[0] - 0.3) * (x[0] - 0.3)) + (0.1 * x[1]);
            return Evaluation.Success(f, [1.3 - x[1] - x[2], x[3] - 2]);
        }
    }

    [Fact]
    public void Pruning_keeps_exactly_the_variables_of_the_failing_constraint_and_the_run_finds_a_feasible_design()
    {
        var problem = new Constructed();
        var pruned = new PrunedOptimizer(new RandomSearch(), new SensitivityOptions(), threshold: 0.01);
        RunResult r = new OptimizationRunner().Run(problem, pruned, new RunOptions { Budget = 40 }, new Random(3));

        Assert.Equal([1, 2], pruned.KeptVariables);
        SensitivityResult s = pruned.Sensitivity!;
        Assert.Equal([1], s.FailingOutputs());

        // Forward differences of a linear constraint are exact: dc/dx1 = dc/dx2 = -1 per full range, scale 1.
        Tolerance.Close(-1, s[1, 1], 1e-12);
        Tolerance.Close(-1, s[1, 2], 1e-12);
        Assert.Equal(0, s[1, 0]);

        // The sensitivity simulations (nominal + one per variable) are the first of the run and count in its budget.
        Assert.Equal(40, r.Evaluations);
        Assert.Equal(40, problem.Evaluations);
        Assert.All(r.Observations.Skip(7), o =>
        {
            // Frozen variables stay at the nominal (the centre of the cube).
            foreach (int j in new[] { 0, 3, 4, 5 })
            {
                Assert.Equal(0.5, o.Unit[j]);
            }
        });
        Assert.NotNull(r.BestFeasible);
    }

    [Fact]
    public void Grouped_pruning_keeps_or_freezes_a_device_whole()
    {
        // Devices as a designer groups them: "ma" = {x0, x1}, "mb" = {x2, x3}, "mc" = {x4, x5}. Only x1 and x2 move the
        // failing constraint, so ma and mb are kept whole (x0 and x3 with them) and mc is frozen.
        var problem = new Constructed();
        string[] groups = ["ma", "ma", "mb", "mb", "mc", "mc"];
        var pruned = new PrunedOptimizer(new RandomSearch(), new SensitivityOptions { Groups = groups, Central = true }, threshold: 0.01);
        RunResult r = new OptimizationRunner().Run(problem, pruned, new RunOptions { Budget = 40 }, new Random(3));

        Assert.Equal([0, 1, 2, 3], pruned.KeptVariables);
        SensitivityResult s = pruned.Sensitivity!;
        Assert.Equal(["ma", "mb", "mc"], s.GroupNames);
        Assert.Equal([2, 3], s.GroupMembers(1));
        Assert.Equal(1, s.GroupOf(3));

        // Central differences are exact on the quadratic objective too: df/dx0 = 2 (x0 - 0.3) = 0.4 at the centre.
        Tolerance.Close(0.4, s[0, 0], 1e-12);
        Tolerance.Close(1, s.GroupMaxAbs(0, [1]), 1e-12);
        Assert.Equal(0, s.GroupMaxAbs(2, [1]));

        // 2d + 1 sensitivity simulations, then only the kept devices move; mc stays at the nominal.
        Assert.All(r.Observations.Skip(13), o =>
        {
            Assert.Equal(0.5, o.Unit[4]);
            Assert.Equal(0.5, o.Unit[5]);
        });
        Assert.Contains(r.Observations.Skip(13), o => o.Unit[0] != 0.5 && o.Unit[3] != 0.5);
    }

    /// <summary>A seedable inner optimiser that records its seeds and samples randomly.</summary>
    private sealed class SeedRecorder : ISeedableOptimizer
    {
        private readonly RandomSearch _random = new();

        public List<Observation> Seeds { get; } = [];

        public string Name => "recorder";

        public void Start(OptimizationContext context) => _random.Start(context);

        public void Seed(IReadOnlyList<Observation> prior) => Seeds.AddRange(prior);

        public IReadOnlyList<double[]> Ask(int maxCount) => _random.Ask(maxCount);

        public void Tell(IReadOnlyList<Observation> observations) => _random.Tell(observations);
    }

    [Fact]
    public void A_seedable_inner_optimiser_gets_the_nominal_and_the_perturbations_of_kept_variables_only()
    {
        var inner = new SeedRecorder();
        var pruned = new PrunedOptimizer(inner, new SensitivityOptions(), threshold: 0.01);
        RunResult r = new OptimizationRunner().Run(new Constructed(), pruned, new RunOptions { Budget = 20 }, new Random(3));

        // Forward differences: the nominal (index 0) and one design per variable (index j + 1); x1 and x2 are kept.
        Assert.Equal([1, 2], pruned.KeptVariables);
        Assert.Equal([0, 2, 3], inner.Seeds.Select(o => o.Index));
        Assert.All(inner.Seeds, o => Assert.Equal(2, o.Unit.Length));
        for (int k = 0; k < inner.Seeds.Count; k++)
        {
            Observation full = r.Observations[inner.Seeds[k].Index];
            Assert.Equal([full.Unit[1], full.Unit[2]], inner.Seeds[k].Unit.ToArray());
            Assert.Equal(full.Evaluation.Constraints.ToArray(), inner.Seeds[k].Evaluation.Constraints.ToArray());
        }
    }

    [Fact]
    public void Seeding_dnnopt_replaces_part_of_its_initial_sample_and_only_before_the_first_ask()
    {
        var problem = new Constructed();
        var fom = new FigureOfMerit(problem);
        var context = new OptimizationContext(problem.Space, problem.Objective, problem.Constraints, fom, new Random(1), 50, 1);
        var dnn = new DnnOptimizer(new DnnOptOptions { InitialSamples = 10 });
        dnn.Start(context);
        double[] centre = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
        var seeds = Enumerable.Range(0, 7).Select(i =>
        {
            double[] x = (double[])centre.Clone();
            x[i % 6] += 0.01 * i;
            Evaluation e = problem.Evaluate(x);
            return new Observation(i, i, x, x, e, fom.Evaluate(e), fom.Violation(e), default);
        }).ToList();
        dnn.Seed(seeds);

        // 10 initial designs minus 7 seeds, but never fewer than the minimum kept for global coverage.
        Assert.Equal(DnnOptimizer.MinimumInitialAfterSeed, dnn.Ask(100).Count);
        Assert.Throws<InvalidOperationException>(() => dnn.Seed(seeds));
    }

    [Fact]
    public void Groups_must_name_every_variable()
    {
        var problem = new Constructed();
        var pruned = new PrunedOptimizer(new RandomSearch(), new SensitivityOptions { Groups = ["ma", "mb"] }, threshold: 0.01);
        Assert.Throws<ArgumentException>(() => new OptimizationRunner().Run(problem, pruned, new RunOptions { Budget = 20 }, new Random(3)));
    }

    [Fact]
    public void A_pruned_dnnopt_run_is_reproducible_and_resumes_from_its_history()
    {
        string history = Path.Combine(Path.GetTempPath(), $"pruned_{Guid.NewGuid():N}.csv");
        try
        {
            IOptimizer Make() => new PrunedOptimizer(new DnnOptimizer(new DnnOptOptions { CriticHidden = [32, 32], ActorHidden = [32, 32], CriticSteps = 40, ActorSteps = 20 }), new SensitivityOptions(), 0.01);
            RunResult straight = new OptimizationRunner().Run(new Constructed(), Make(), new RunOptions { Budget = 24 }, new Random(5));
            using var stop = new CancellationTokenSource();
            int seen = 0;
            _ = new OptimizationRunner(_ =>
            {
                if (++seen == 15)
                {
                    stop.Cancel();
                }
            }).Run(new Constructed(), Make(), new RunOptions { Budget = 24, HistoryPath = history }, new Random(5), stop.Token);
            RunResult resumed = new OptimizationRunner().Run(new Constructed(), Make(), new RunOptions { Budget = 24, HistoryPath = history, Resume = true }, new Random(5));
            Assert.Equal(straight.Observations.Select(o => o.Unit.ToArray()), resumed.Observations.Select(o => o.Unit.ToArray()));
        }
        finally
        {
            File.Delete(history);
        }
    }
}

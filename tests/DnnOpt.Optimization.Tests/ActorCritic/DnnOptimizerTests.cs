using DnnOpt.Optimization.ActorCritic;
using DnnOpt.Optimization.Baselines;
using DnnOpt.Optimization.Benchmarks;

namespace DnnOpt.Optimization.Tests.ActorCritic;

public sealed class DnnOptimizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnnopt-ac-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Small networks and few steps: the algorithm, not its capacity, is under test here.</summary>
    private static DnnOptimizer Small(Func<DnnOptOptions, DnnOptOptions>? change = null)
    {
        var options = new DnnOptOptions
        {
            CriticHidden = [32, 32], ActorHidden = [32, 32], CriticSteps = 80, CriticBatch = 64, ActorSteps = 40, InitialSamples = 12,
        };
        return new DnnOptimizer(change is null ? options : change(options));
    }

    private static double[][] Units(RunResult r) => r.Observations.Select(o => o.Unit.ToArray()).ToArray();

    /// <summary>
    /// Runs the welded beam (45 simulations, seed 3) with two settings that should differ only once a feasible design
    /// exists, and checks that the runs agree up to the first feasible design and part after it. Returns the first run.
    /// </summary>
    private static double[][] AssertSameUntilFirstFeasible(Func<DnnOptOptions, DnnOptOptions> a, Func<DnnOptOptions, DnnOptOptions> b)
    {
        FunctionProblem p = BenchmarkSuite.WeldedBeam();
        RunResult Run(Func<DnnOptOptions, DnnOptOptions> change) =>
            new OptimizationRunner().Run(p, Small(change), new RunOptions { Budget = 45 }, new Random(3));
        RunResult first = Run(a);
        int feasible = first.FirstFeasibleEvaluation ?? throw new InvalidOperationException("no feasible design in 45");
        Assert.True(feasible is > 12 + 3 and < 40, $"first feasible at {feasible}: too few proposals before it or after it to compare");
        double[][] x = Units(first);
        double[][] y = Units(Run(b));
        Assert.Equal(x[..feasible], y[..feasible]);
        Assert.NotEqual(x[feasible..], y[feasible..]);
        return x;
    }

    [Fact]
    public void Finds_a_feasible_welded_beam_sooner_than_random_search_does()
    {
        // Measured over seeds 0-9 at 200 simulations: DNN-Opt's first feasible design came at simulation 11 (median,
        // at most 14, defaults of c4b5480); random search's at 43.5 (median, up to 109).
        FunctionProblem p = BenchmarkSuite.WeldedBeam();
        RunResult r = new OptimizationRunner().Run(
            p, new DnnOptimizer(), new RunOptions { Budget = 25, StopOnFirstFeasible = true }, new Random(1));
        Assert.NotNull(r.FirstFeasibleEvaluation);
        RunResult random = new OptimizationRunner().Run(
            p, new RandomSearch(), new RunOptions { Budget = 25, StopOnFirstFeasible = true }, new Random(1));
        Assert.Null(random.FirstFeasibleEvaluation);
    }

    [Fact]
    public void Ends_in_the_welded_beams_optimum_region_where_random_search_and_de_do_not()
    {
        // Measured over seeds 0-9 at 200 simulations with the defaults (perf/DnnOpt.Study/results/dnnopt-elite-box,
        // variant box0.5): best cost 1.7476-1.7654 against f* = 1.724852, gaps 1.3-2.3 %; DE's mean gap at 200 was 79 %.
        FunctionProblem p = BenchmarkSuite.WeldedBeam();
        var options = new RunOptions { Budget = 200 };
        double Gap(IOptimizer optimizer)
        {
            RunResult r = new OptimizationRunner().Run(p, optimizer, options, new Random(1));
            return (r.BestFeasible!.Evaluation.Objective - p.Optimum!.Value) / p.Optimum.Value;
        }

        Assert.InRange(Gap(new DnnOptimizer()), 0, 0.03);
        Assert.True(Gap(new RandomSearch()) > 0.03);
        Assert.True(Gap(new DifferentialEvolution()) > 0.03);
    }

    [Fact]
    public void Minimises_an_unconstrained_problem()
    {
        // No constraints: every design is feasible, so eq. 4 is the objective term alone from the first design on.
        // Branin's minimum is 0.397887 at three points; the study's threshold for its optimum region is 0.41.
        FunctionProblem p = BenchmarkSuite.Branin();
        Assert.Empty(p.Constraints);
        RunResult r = new OptimizationRunner().Run(p, new DnnOptimizer(), new RunOptions { Budget = 60 }, new Random(1));
        Assert.Equal(1, r.FirstFeasibleEvaluation);
        Assert.InRange(r.BestFeasible!.Evaluation.Objective, p.Optimum!.Value, 0.41);
    }

    [Theory]
    [InlineData("g01", 1)]
    [InlineData("g10", 1)]
    public void Finds_a_feasible_design_where_random_designs_almost_never_are(string name, int seed)
    {
        // G1 and G10: under 0.003 % of random designs are feasible, and DE's first feasible design came at 477-1003
        // simulations over seeds 0-9 (perf/DnnOpt.Study/results/sparse-feasible-200). DNN-Opt's came at 30-48 (G1) and
        // 18-112, median 24 (G10); 60 simulations leave room for either.
        FunctionProblem p = BenchmarkSuite.ByName(name)!;
        RunResult r = new OptimizationRunner().Run(
            p, new DnnOptimizer(), new RunOptions { Budget = 60, StopOnFirstFeasible = true }, new Random(seed));
        Assert.NotNull(r.FirstFeasibleEvaluation);
        RunResult de = new OptimizationRunner().Run(
            p, new DifferentialEvolution(), new RunOptions { Budget = 60, StopOnFirstFeasible = true }, new Random(seed));
        Assert.Null(de.FirstFeasibleEvaluation);
    }

    [Fact]
    public void Same_seed_gives_the_same_run_and_another_seed_another()
    {
        FunctionProblem p = BenchmarkSuite.G6();
        double[] Run(int seed) => new OptimizationRunner().Run(p, Small(), new RunOptions { Budget = 24 }, new Random(seed))
            .Observations.SelectMany(o => o.Unit.ToArray()).ToArray();
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Resumed_run_ends_exactly_like_the_uninterrupted_one(int batch)
    {
        FunctionProblem problem = BenchmarkSuite.WeldedBeam();
        string full = Path.Combine(_dir, $"full{batch}.csv");
        string part = Path.Combine(_dir, $"part{batch}.csv");
        var options = new RunOptions { Budget = 30, BatchSize = batch, HistoryPath = full };
        RunResult uninterrupted = new OptimizationRunner().Run(problem, Small(), options, new Random(17));
        string[] lines = File.ReadAllLines(full);
        File.WriteAllText(part, string.Join('\n', lines.Take(1 + 19)) + "\n" + lines[20][..10]);
        RunResult resumed = new OptimizationRunner().Run(problem, Small(), options with { HistoryPath = part }, new Random(17));
        Assert.Equal(19, resumed.ReplayedEvaluations);
        Assert.Equal(uninterrupted.Observations.Select(o => o.Unit.ToArray()), resumed.Observations.Select(o => o.Unit.ToArray()));
    }

    [Fact]
    public void Batch_proposals_are_distinct_and_new()
    {
        FunctionProblem p = BenchmarkSuite.G4();
        RunResult r = new OptimizationRunner().Run(p, Small(), new RunOptions { Budget = 40, BatchSize = 4 }, new Random(2));
        var keys = r.Observations.Select(o => string.Join(';', o.Physical.ToArray())).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(40, r.Evaluations);
    }

    [Fact]
    public void Failed_evaluations_are_survived()
    {
        var problem = new HoleyProblem();
        RunResult r = new OptimizationRunner().Run(problem, Small(), new RunOptions { Budget = 40 }, new Random(4));
        Assert.Equal(40, r.Evaluations);
        Assert.Contains(r.Observations, o => o.IsFailure);
        Assert.NotNull(r.BestFeasible);
    }

    [Fact]
    public void Imputing_failed_proposals_keeps_the_search_off_a_cliff()
    {
        // The objective improves towards x0 + x1 = 1.2, beyond which every design fails: a critic that never sees
        // its own failures keeps extrapolating over the edge. Failed proposals after the initial sample, summed over
        // seeds 1-3 (measured: 11 of 144 with imputation, 142 without).
        int FailedProposals(bool impute) => Enumerable.Range(1, 3).Sum(seed =>
        {
            DnnOptimizer dnn = Small(o => o with { ImputeFailures = impute });
            RunResult r = new OptimizationRunner().Run(new CliffProblem(), dnn, new RunOptions { Budget = 60 }, new Random(seed));
            return r.Observations.Skip(12).Count(o => o.IsFailure);
        });

        int without = FailedProposals(false);
        int with = FailedProposals(true);
        Assert.True(with < without / 2, $"failed proposals: {with} with imputation, {without} without");
    }

    [Fact]
    public void Exploration_noise_doubles_per_stalled_stretch_up_to_its_limit()
    {
        // An infeasible plateau: the initial sample sets the incumbent and no proposal can beat it, so each one stalls.
        var plateau = new ScriptedProblem(_ => 1.0, feasible: false);
        DnnOptimizer dnn = Small();
        new OptimizationRunner().Run(plateau, dnn, new RunOptions { Budget = 12 + 25 }, new Random(3));
        Assert.Equal(25, dnn.StalledProposals);
        Assert.Equal(0.02 * 4, dnn.CurrentExplorationNoise, 12);

        DnnOptimizer capped = Small();
        new OptimizationRunner().Run(plateau, capped, new RunOptions { Budget = 12 + 45 }, new Random(3));
        Assert.Equal(0.16, capped.CurrentExplorationNoise, 12);

        DnnOptimizer fixedNoise = Small(o => o with { StallProposals = 0 });
        new OptimizationRunner().Run(plateau, fixedNoise, new RunOptions { Budget = 12 + 25 }, new Random(3));
        Assert.Equal(0.02, fixedNoise.CurrentExplorationNoise, 12);
    }

    [Fact]
    public void A_significant_improvement_restores_the_exploration_noise()
    {
        // A plateau for 30 designs, then each design's violation 5 % under the one before: the stall count goes to 0.
        var improving = new ScriptedProblem(i => i < 30 ? 1.0 : Math.Pow(0.95, i - 29), feasible: false);
        DnnOptimizer dnn = Small();
        new OptimizationRunner().Run(improving, dnn, new RunOptions { Budget = 34 }, new Random(3));
        Assert.Equal(0, dnn.StalledProposals);
        Assert.Equal(0.02, dnn.CurrentExplorationNoise, 12);

        // Improvements under 1 % of the incumbent do not count, however many there are.
        var creeping = new ScriptedProblem(i => i < 12 ? 1.0 : 1.0 - (0.0005 * (i - 11)), feasible: false);
        DnnOptimizer creeper = Small();
        new OptimizationRunner().Run(creeping, creeper, new RunOptions { Budget = 12 + 15 }, new Random(3));
        Assert.Equal(15, creeper.StalledProposals);
    }

    [Fact]
    public void After_the_first_feasible_design_the_noise_widens_only_when_asked_to()
    {
        // Feasible and flat: every proposal stalls, but the default keeps the paper's noise for fine-tuning.
        var flat = new ScriptedProblem(_ => 1.0, feasible: true);
        DnnOptimizer dnn = Small();
        new OptimizationRunner().Run(flat, dnn, new RunOptions { Budget = 12 + 25 }, new Random(3));
        Assert.Equal(25, dnn.StalledProposals);
        Assert.Equal(0.02, dnn.CurrentExplorationNoise, 12);

        DnnOptimizer widening = Small(o => o with { WidenAfterFeasible = true });
        new OptimizationRunner().Run(flat, widening, new RunOptions { Budget = 12 + 25 }, new Random(3));
        Assert.Equal(0.02 * 4, widening.CurrentExplorationNoise, 12);
    }

    [Fact]
    public void More_candidates_per_elite_only_add_to_what_eq_8_chooses_from()
    {
        // Same seed: the networks train identically and the first e candidates are the one-per-elite set with the same
        // noise, so the first proposal's predicted g can only get better with more candidates per elite (up to the
        // last bits of a larger forward batch) and must do so on some seed.
        double FirstPredicted(int perElite, int seed)
        {
            DnnOptimizer dnn = Small(o => o with { CandidatesPerElite = perElite, CandidatesPerEliteBeforeFeasible = perElite });
            new OptimizationRunner().Run(BenchmarkSuite.WeldedBeam(), dnn, new RunOptions { Budget = 12 + 1 }, new Random(seed));
            return dnn.LastIteration!.Value.PredictedFom;
        }

        int better = 0;
        for (int seed = 1; seed <= 5; seed++)
        {
            double one = FirstPredicted(1, seed);
            double eight = FirstPredicted(8, seed);
            Assert.True(eight <= one + (1e-5 * Math.Max(1, Math.Abs(one))), $"seed {seed}: predicted g {eight} with 8 per elite, {one} with 1");
            better += eight < one - (1e-5 * Math.Max(1, Math.Abs(one))) ? 1 : 0;
        }

        Assert.True(better > 0, "8 candidates per elite never found a better-predicted design than 1");
    }

    [Fact]
    public void Candidates_per_elite_after_feasibility_leave_the_search_for_it_as_it_was()
    {
        // The setting before feasibility alone decides the run until a feasible design exists: a run with 8 per elite
        // afterwards is the same run up to its first feasible design, and another one after it.
        AssertSameUntilFirstFeasible(
            o => o with { CandidatesPerElite = 1, CandidatesPerEliteBeforeFeasible = 1 },
            o => o with { CandidatesPerElite = 8, CandidatesPerEliteBeforeFeasible = 1 });
    }

    [Fact]
    public void Candidates_per_elite_before_feasibility_change_the_search_for_it()
    {
        FunctionProblem p = BenchmarkSuite.WeldedBeam();
        double[][] RunWith(int before) => Units(new OptimizationRunner().Run(
            p, Small(o => o with { CandidatesPerElite = 1, CandidatesPerEliteBeforeFeasible = before }), new RunOptions { Budget = 14 }, new Random(3)));
        double[][] one = RunWith(1);
        double[][] eight = RunWith(8);
        Assert.Equal(one[..12], eight[..12]);
        Assert.NotEqual(one[12..], eight[12..]);
    }

    [Fact]
    public void Elite_box_expansion_after_feasibility_leaves_the_search_for_it_as_it_was()
    {
        // Before feasibility the box is the paper's whatever the expansion, so the runs agree up to the first feasible
        // design; after it the actor trains in the wider box and the runs part.
        double[][] paper = AssertSameUntilFirstFeasible(o => o with { EliteBoxExpansion = 0 }, o => o with { EliteBoxExpansion = 1 });
        double[][] wideBefore = Units(new OptimizationRunner().Run(
            BenchmarkSuite.WeldedBeam(), Small(o => o with { EliteBoxExpansionBeforeFeasible = 1 }), new RunOptions { Budget = 14 }, new Random(3)));
        Assert.Equal(paper[..12], wideBefore[..12]);
        Assert.NotEqual(paper[12..14], wideBefore[12..]);
    }

    [Fact]
    public void Infeasible_objective_credit_only_changes_the_search_after_the_first_feasible_design()
    {
        // Before feasibility g has no objective term, so withholding its credit from infeasible designs changes
        // nothing; after it the elite ranking, the actor's loss and eq. 8 differ and the runs part.
        AssertSameUntilFirstFeasible(o => o with { InfeasibleObjectiveCredit = true }, o => o with { InfeasibleObjectiveCredit = false });
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = -0.5 }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = double.NaN }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansionBeforeFeasible = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { EliteSize = 0 }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { CriticHidden = [0] }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { LearningRate = double.NaN }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { StallProposals = -1 }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { MaxExplorationNoise = double.PositiveInfinity }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 0 }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { CandidatesPerEliteBeforeFeasible = 0 }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = DnnOptOptions.MaxCandidatesPerElite + 1 }));
        Assert.Throws<ArgumentException>(() => new DnnOptimizer(new DnnOptOptions { EliteSize = int.MaxValue / 2, CandidatesPerElite = 1000 }));
    }

    /// <summary>
    /// One constraint whose value is a function of the evaluation's index, whatever the design: its magnitude when
    /// <paramref name="feasible"/> is false (a violation), its negative otherwise (with the value as the objective).
    /// </summary>
    private sealed class ScriptedProblem(Func<int, double> value, bool feasible) : IProblem
    {
        private int _evaluations;

        public string Name => "scripted";

        public DesignSpace Space { get; } = new([new("x0", 0, 1), new("x1", 0, 1)]);

        public MetricInfo Objective { get; } = new("f");

        public IReadOnlyList<MetricInfo> Constraints { get; } = [new("c")];

        public Evaluation Evaluate(ReadOnlySpan<double> x)
        {
            double v = value(_evaluations++);
            return feasible ? Evaluation.Success(v, [-1]) : Evaluation.Success(0, [v]);
        }
    }

    /// <summary>min Σ(x−0.3)² s.t. x0 + x1 ≥ 1 on [0, 1]³, and every design with x2 &gt; 0.7 fails to "simulate".</summary>
    private sealed class HoleyProblem : IProblem
    {
        public string Name => "holey";

        public DesignSpace Space { get; } = new([new("x0", 0, 1), new("x1", 0, 1), new("x2", 0, 1)]);

        public MetricInfo Objective { get; } = new("sumsq");

        public IReadOnlyList<MetricInfo> Constraints { get; } = [new("sum01")];

        public Evaluation Evaluate(ReadOnlySpan<double> x)
        {
            if (x[2] > 0.7)
            {
                return Evaluation.Failure("no convergence");
            }

            double f0 = 0;
            foreach (double v in x)
            {
                f0 += (v - 0.3) * (v - 0.3);
            }

            return Evaluation.Success(f0, [1 - (x[0] + x[1])]);
        }
    }

    /// <summary>min −(x0 + x1) s.t. x2 ≤ 0.5 on [0, 1]³; every design with x0 + x1 &gt; 1.2 fails to "simulate".</summary>
    private sealed class CliffProblem : IProblem
    {
        public string Name => "cliff";

        public DesignSpace Space { get; } = new([new("x0", 0, 1), new("x1", 0, 1), new("x2", 0, 1)]);

        public MetricInfo Objective { get; } = new("negsum");

        public IReadOnlyList<MetricInfo> Constraints { get; } = [new("x2max")];

        public Evaluation Evaluate(ReadOnlySpan<double> x) =>
            x[0] + x[1] > 1.2 ? Evaluation.Failure("no convergence") : Evaluation.Success(-(x[0] + x[1]), [x[2] - 0.5]);
    }
}

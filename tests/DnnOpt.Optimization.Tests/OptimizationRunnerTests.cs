using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.Tests;

public sealed class OptimizationRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnnopt-runner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Spends_exactly_the_budget_and_records_failures_and_exceptions()
    {
        var problem = new ShiftedSphere();
        var result = new OptimizationRunner().Run(problem, new OnePlusOneEs(), new RunOptions { Budget = 37, BatchSize = 4 }, new Random(1));
        Assert.Equal(StopReason.BudgetExhausted, result.StopReason);
        Assert.Equal(37, result.Evaluations);
        Assert.Equal(37, problem.Calls);
        Assert.Equal(Enumerable.Range(0, 37), result.Observations.Select(o => o.Index));
        Assert.Equal(9, result.Observations[^1].Batch); // 9 batches of 4, then one of 1

        var random = new OptimizationRunner().Run(new ShiftedSphere(), new RandomSearch(), new RunOptions { Budget = 100 }, new Random(2));
        Assert.Contains(random.Observations, o => o.Evaluation.FailureReason?.StartsWith("InvalidOperationException: evaluator crashed", StringComparison.Ordinal) == true);
        Assert.Contains(random.Observations, o => o.Evaluation.FailureReason?.Contains("non-convergence", StringComparison.Ordinal) == true);
        Assert.All(random.Observations.Where(o => o.IsFailure), o => Assert.Equal(double.PositiveInfinity, o.Fom));
    }

    [Fact]
    public void Stops_on_first_feasible_when_asked_and_reports_the_count()
    {
        var problem = new ShiftedSphere();
        var result = new OptimizationRunner().Run(problem, new RandomSearch(), new RunOptions { Budget = 200, StopOnFirstFeasible = true }, new Random(4));
        Assert.Equal(StopReason.FirstFeasibleFound, result.StopReason);
        Assert.True(result.Observations[^1].IsFeasible);
        Assert.All(result.Observations.Take(result.Evaluations - 1), o => Assert.False(o.IsFeasible));
        Assert.Equal(result.Evaluations, result.FirstFeasibleEvaluation);
        Assert.Same(result.Observations[^1], result.BestFeasible);
    }

    [Fact]
    public void An_optimizer_that_runs_dry_ends_the_run()
    {
        var result = new OptimizationRunner().Run(new ShiftedSphere(), new RandomSearch(), new RunOptions { Budget = 5 }, new Random(4));
        Assert.Equal(StopReason.BudgetExhausted, result.StopReason);
        var dry = new OptimizationRunner().Run(new ShiftedSphere(), new EmptyOptimizer(), new RunOptions { Budget = 5 }, new Random(4));
        Assert.Equal(StopReason.OptimizerFinished, dry.StopReason);
        Assert.Equal(0, dry.Evaluations);
        Assert.Null(dry.Best);
    }

    [Fact]
    public void Best_is_the_feasible_design_with_the_smallest_objective()
    {
        var result = new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), new RunOptions { Budget = 150 }, new Random(8));
        var feasible = result.Observations.Where(o => o.IsFeasible).ToList();
        Assert.NotEmpty(feasible);
        Assert.Equal(feasible.Min(o => o.Evaluation.Objective), result.Best!.Evaluation.Objective);

        // The constrained optimum is x0 = x1 = 0.5, x2 = 0.3 (f0 = 0.08); the ES gets near it.
        Assert.InRange(result.Best.Evaluation.Objective, 0.08, 0.1);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 23)]
    [InlineData(3, 23)]
    [InlineData(3, 59)]
    public void A_run_resumed_from_a_truncated_history_ends_like_the_uninterrupted_run(int batch, int keep)
    {
        string full = Path.Combine(_dir, "full.csv");
        string part = Path.Combine(_dir, "part.csv");
        var options = new RunOptions { Budget = 60, BatchSize = batch, HistoryPath = full };
        var uninterrupted = new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), options, new Random(11));

        // Keep the header and `keep` complete lines, plus half of the next line, as a killed process would leave it.
        var lines = File.ReadAllLines(full);
        string truncated = string.Join('\n', lines.Take(keep + 1)) + "\n" + lines[keep + 1][..(lines[keep + 1].Length / 2)];
        File.WriteAllText(part, truncated);

        var problem = new ShiftedSphere();
        var resumed = new OptimizationRunner().Run(problem, new OnePlusOneEs(), options with { HistoryPath = part }, new Random(11));
        Assert.Equal(keep, resumed.ReplayedEvaluations);
        Assert.Equal(60 - keep, problem.Calls);
        Assert.Equal(StripTimes(File.ReadAllLines(full)), StripTimes(File.ReadAllLines(part)));
        Assert.Equal(uninterrupted.Best!.Unit.ToArray(), resumed.Best!.Unit.ToArray());
    }

    [Fact]
    public void Resuming_with_another_seed_is_detected()
    {
        string path = Path.Combine(_dir, "h.csv");
        var options = new RunOptions { Budget = 20, HistoryPath = path };
        new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), options, new Random(11));
        Assert.Throws<InvalidOperationException>(
            () => new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), options with { Budget = 30 }, new Random(12)));
    }

    [Fact]
    public void Parallel_evaluation_gives_the_sequential_history()
    {
        string seq = Path.Combine(_dir, "seq.csv");
        string par = Path.Combine(_dir, "par.csv");
        var options = new RunOptions { Budget = 40, BatchSize = 5, HistoryPath = seq };
        new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), options, new Random(5));
        new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), options with { HistoryPath = par, MaxDegreeOfParallelism = 4 }, new Random(5));
        Assert.Equal(StripTimes(File.ReadAllLines(seq)), StripTimes(File.ReadAllLines(par)));
    }

    [Fact]
    public void Same_seed_same_run_without_history()
    {
        var a = new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), new RunOptions { Budget = 50 }, new Random(21));
        var b = new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), new RunOptions { Budget = 50 }, new Random(21));
        Assert.Equal(a.Observations.SelectMany(o => o.Unit.ToArray()), b.Observations.SelectMany(o => o.Unit.ToArray()));
    }

    [Fact]
    public void Invalid_options_and_broken_optimizers_throw()
    {
        var runner = new OptimizationRunner();
        Assert.Throws<ArgumentException>(() => runner.Run(new ShiftedSphere(), new RandomSearch(), new RunOptions { Budget = 0 }, new Random(1)));
        Assert.Throws<ArgumentException>(() => runner.Run(new ShiftedSphere(), new RandomSearch(), new RunOptions { BatchSize = 0 }, new Random(1)));
        Assert.Throws<InvalidOperationException>(() => runner.Run(new ShiftedSphere(), new NanOptimizer(), new RunOptions { Budget = 3 }, new Random(1)));
    }

    [Fact]
    public void Cancellation_stops_between_batches_keeps_the_history_and_the_run_resumes_to_the_same_end()
    {
        string full = Path.Combine(_dir, "full.csv");
        string cut = Path.Combine(_dir, "cut.csv");
        var options = new RunOptions { Budget = 40, BatchSize = 3, HistoryPath = full };
        new OptimizationRunner().Run(new ShiftedSphere(), new OnePlusOneEs(), options, new Random(9));

        // Ctrl-C arrives while the 5th batch is being recorded: that batch completes, nothing after it starts.
        using var cts = new CancellationTokenSource();
        var cancelled = new OptimizationRunner(o =>
        {
            if (o.Index == 13)
            {
                cts.Cancel();
            }
        }).Run(new ShiftedSphere(), new OnePlusOneEs(), options with { HistoryPath = cut }, new Random(9), cts.Token);
        Assert.Equal(StopReason.Cancelled, cancelled.StopReason);
        Assert.Equal(15, cancelled.Evaluations);
        Assert.Equal(16, File.ReadAllLines(cut).Length);

        var problem = new ShiftedSphere();
        var resumed = new OptimizationRunner().Run(problem, new OnePlusOneEs(), options with { HistoryPath = cut }, new Random(9));
        Assert.Equal(StopReason.BudgetExhausted, resumed.StopReason);
        Assert.Equal(25, problem.Calls);
        Assert.Equal(StripTimes(File.ReadAllLines(full)), StripTimes(File.ReadAllLines(cut)));
    }

    [Fact]
    public void Observations_are_reported_in_order()
    {
        var seen = new List<int>();
        new OptimizationRunner(o => seen.Add(o.Index)).Run(new ShiftedSphere(), new OnePlusOneEs(), new RunOptions { Budget = 13, BatchSize = 3 }, new Random(1));
        Assert.Equal(Enumerable.Range(0, 13), seen);
    }

    // Timing columns (eval_s, model_s, elapsed_s) legitimately differ between runs; every other field must not.
    private static string[] StripTimes(string[] lines) =>
        lines.Select(l =>
        {
            int q = l.IndexOf('"', StringComparison.Ordinal);
            var fields = l[..(q < 0 ? l.Length : q)].Split(',');
            return string.Join(',', fields[..^4]) + (q < 0 ? string.Empty : l[q..]);
        }).ToArray();

    private sealed class EmptyOptimizer : IOptimizer
    {
        public string Name => "empty";

        public void Start(OptimizationContext context)
        {
        }

        public IReadOnlyList<double[]> Ask(int maxCount) => [];

        public void Tell(IReadOnlyList<Observation> observations)
        {
        }
    }

    private sealed class NanOptimizer : IOptimizer
    {
        private int _dimension;

        public string Name => "nan";

        public void Start(OptimizationContext context) => _dimension = context.Dimension;

        public IReadOnlyList<double[]> Ask(int maxCount) => [Enumerable.Repeat(double.NaN, _dimension).ToArray()];

        public void Tell(IReadOnlyList<Observation> observations)
        {
        }
    }
}

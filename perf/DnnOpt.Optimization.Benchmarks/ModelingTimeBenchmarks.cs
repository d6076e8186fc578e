using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DnnOpt.Optimization.ActorCritic;
using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.Benchmarks;

/// <summary>
/// Modeling time per iteration as the history grows, on a problem shaped like the paper's folded-cascode OTA: 20
/// variables, 29 constraints, side by side for DNN-Opt (train critic and actor, propose one candidate) and BO-wEI (fit
/// one Gaussian process per output on the whole history, maximise weighted EI times the probability of feasibility:
/// O(N^3) Cholesky and O(N^2) predictions, measured rather than assumed; a fresh optimiser fits its hyperparameters
/// without a warm start). The outputs are smooth synthetic functions of the design; the cost does not depend on their
/// values, only on N, d and m.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ModelingTimeBenchmarks
{
    private const int Dimension = 20;
    private const int Constraints = 29;
    private IOptimizer _optimizer = null!;

    /// <summary>The optimiser whose iteration is timed.</summary>
    [Params("DNN-Opt", "BO-wEI")]
    public string Algorithm { get; set; } = "DNN-Opt";

    /// <summary>Evaluations in the history when the iteration runs.</summary>
    [Params(100, 300, 500)]
    public int Evaluations { get; set; }

    /// <summary>
    /// Whether the history holds feasible designs: DNN-Opt then draws 8 candidates per elite instead of 4 and its
    /// figure of merit carries the objective term, so both phases of a run are timed.
    /// </summary>
    [Params(false, true)]
    public bool Feasible { get; set; }

    /// <summary>Feeds a seeded history of <see cref="Evaluations"/> designs to a fresh optimiser.</summary>
    [IterationSetup]
    public void Setup()
    {
        var space = new DesignSpace(Enumerable.Range(0, Dimension).Select(i => new DesignVariable($"x{i}", 0, 1)));
        var constraints = Enumerable.Range(0, Constraints).Select(i => new MetricInfo($"c{i}")).ToArray();
        var objective = new MetricInfo("power");
        var random = new Random(7);
        var context = new OptimizationContext(space, objective, constraints, new FigureOfMerit(objective, constraints), random, 10_000, 1);
        _optimizer = Algorithm == "BO-wEI" ? new BayesianOptimization() : new DnnOptimizer();
        _optimizer.Start(context);
        var observations = new List<Observation>();
        double[] c = new double[Constraints];
        for (int n = 0; n < Evaluations; n++)
        {
            double[] x = Enumerable.Range(0, Dimension).Select(_ => random.NextDouble()).ToArray();
            for (int i = 0; i < Constraints; i++)
            {
                // In [-1.5, 1]: more than half of the values are met, never all 29 in one design; shifted by 2, all are.
                c[i] = Math.Sin((3 * x[i % Dimension]) + i) - (0.5 * x[(i + 7) % Dimension]) - (Feasible ? 2 : 0);
            }

            var evaluation = Evaluation.Success(x.Sum(v => v * v), c);
            observations.Add(new Observation(n, n, x, x, evaluation, context.Fom.Evaluate(evaluation), context.Fom.Violation(evaluation), default));
        }

        // The initial Latin hypercube is asked for but not simulated: the synthetic history stands in for it.
        _optimizer.Ask(Evaluations);
        _optimizer.Tell(observations);
    }

    /// <summary>One iteration: model training or fitting, candidate generation and selection.</summary>
    [Benchmark]
    public double[] Iteration() => _optimizer.Ask(1)[0];
}

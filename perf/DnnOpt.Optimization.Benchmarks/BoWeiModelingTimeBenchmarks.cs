using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.Benchmarks;

/// <summary>
/// BO-wEI's modeling time per iteration (fit one Gaussian process per output on the whole history, maximise weighted EI
/// times the probability of feasibility, propose one candidate) as the history grows, on the same synthetic
/// 20-variable, 29-constraint history as <see cref="ModelingTimeBenchmarks"/>, so the two are measured side by side.
/// The GP's Cholesky factorisation costs O(N^3) and each prediction O(N^2), which is what this measures instead of
/// assuming. A fresh optimiser fits its hyperparameters without a warm start from an earlier iteration.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class BoWeiModelingTimeBenchmarks
{
    private const int Dimension = 20;
    private const int Constraints = 29;
    private BayesianOptimization _optimizer = null!;

    /// <summary>Evaluations in the history when the iteration runs.</summary>
    [Params(100, 300, 500)]
    public int Evaluations { get; set; }

    /// <summary>Feeds a seeded history of <see cref="Evaluations"/> designs to a fresh optimiser.</summary>
    [IterationSetup]
    public void Setup()
    {
        var space = new DesignSpace(Enumerable.Range(0, Dimension).Select(i => new DesignVariable($"x{i}", 0, 1)));
        var constraints = Enumerable.Range(0, Constraints).Select(i => new MetricInfo($"c{i}")).ToArray();
        var objective = new MetricInfo("power");
        var random = new Random(7);
        var context = new OptimizationContext(space, objective, constraints, new FigureOfMerit(objective, constraints), random, 10_000, 1);
        _optimizer = new BayesianOptimization();
        _optimizer.Start(context);
        var observations = new List<Observation>();
        double[] c = new double[Constraints];
        for (int n = 0; n < Evaluations; n++)
        {
            double[] x = Enumerable.Range(0, Dimension).Select(_ => random.NextDouble()).ToArray();
            for (int i = 0; i < Constraints; i++)
            {
                c[i] = Math.Sin((3 * x[i % Dimension]) + i) - (0.5 * x[(i + 7) % Dimension]);
            }

            var evaluation = Evaluation.Success(x.Sum(v => v * v), c);
            observations.Add(new Observation(n, n, x, x, evaluation, context.Fom.Evaluate(evaluation), context.Fom.Violation(evaluation), default));
        }

        // The initial Latin hypercube is asked for but not simulated: the synthetic history stands in for it.
        _optimizer.Ask(Evaluations);
        _optimizer.Tell(observations);
    }

    /// <summary>One BO-wEI iteration: GP fits, acquisition maximisation, one candidate.</summary>
    [Benchmark]
    public double[] Iteration() => _optimizer.Ask(1)[0];
}

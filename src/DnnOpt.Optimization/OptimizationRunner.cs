using System.Diagnostics;
using System.Globalization;

namespace DnnOpt.Optimization;

/// <summary>
/// Drives an <see cref="IOptimizer"/> on an <see cref="IProblem"/>: asks for batches of candidates, evaluates them,
/// records every evaluation (history file, <see cref="RunResult"/>), tells the optimiser, and stops on budget, first
/// feasible design (optional), an optimiser with nothing left to propose, or cancellation.
/// </summary>
/// <remarks>
/// Resume is deterministic replay: the optimiser is re-run from the start with the same seed, and while the history
/// holds an evaluation for position n the candidate proposed at n must equal the recorded unit vector bit for bit and
/// the recorded result is served instead of calling the problem. A run resumed from any prefix of its history therefore
/// ends exactly as the uninterrupted run would have, and a history from another seed or configuration is detected.
/// </remarks>
public sealed class OptimizationRunner
{
    private readonly Action<Observation>? _onObservation;

    /// <summary>Creates a runner.</summary>
    /// <param name="onObservation">
    /// Optional progress callback, called once per observation in order (replayed ones included) after its batch is
    /// complete, on the calling thread.
    /// </param>
    public OptimizationRunner(Action<Observation>? onObservation = null) => _onObservation = onObservation;

    /// <summary>Runs <paramref name="optimizer"/> on <paramref name="problem"/>.</summary>
    /// <param name="problem">The problem to minimise.</param>
    /// <param name="optimizer">The optimiser; <see cref="IOptimizer.Start"/> is called here.</param>
    /// <param name="options">Budget, batch size, stopping, FoM weights, history file.</param>
    /// <param name="random">The run's seeded random source, handed to the optimiser.</param>
    /// <param name="cancellationToken">Checked between batches; evaluations already done are kept.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="InvalidOperationException">
    /// The optimiser broke its contract (too many candidates, wrong length, NaN), or a resumed history disagrees with
    /// the replayed run (different seed, optimiser or settings).
    /// </exception>
    /// <exception cref="InvalidDataException">The history file belongs to another problem or is malformed.</exception>
    public RunResult Run(IProblem problem, IOptimizer optimizer, RunOptions options, Random random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();

        var fom = new FigureOfMerit(problem, options.Fom);
        var space = problem.Space;
        int d = space.Dimension;

        IReadOnlyList<Observation> replay = [];
        RunHistoryWriter? writer = null;
        if (options.HistoryPath is { } path)
        {
            writer = options.Resume && File.Exists(path)
                ? RunHistoryWriter.Append(path, problem, out replay)
                : RunHistoryWriter.Create(path, problem);
        }

        try
        {
            var total = Stopwatch.StartNew();
            double elapsedOffset = replay.Count > 0 ? replay[Math.Min(replay.Count, options.Budget) - 1].Timing.ElapsedSeconds : 0;
            var observations = new List<Observation>();
            int replayed = 0;
            TimeSpan modeling = TimeSpan.Zero, evaluating = TimeSpan.Zero;
            var context = new OptimizationContext(space, problem.Objective, problem.Constraints, fom, random, options.Budget, options.BatchSize);

            var clock = Stopwatch.StartNew();
            optimizer.Start(context);
            var pendingModel = clock.Elapsed;

            StopReason reason = StopReason.BudgetExhausted;
            for (int batch = 0; observations.Count < options.Budget; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    reason = StopReason.Cancelled;
                    break;
                }

                int k = Math.Min(options.BatchSize, options.Budget - observations.Count);
                clock.Restart();
                var candidates = optimizer.Ask(k);
                pendingModel += clock.Elapsed;
                modeling += pendingModel;
                double modelSeconds = pendingModel.TotalSeconds;
                pendingModel = TimeSpan.Zero;
                if (candidates is null || candidates.Count == 0)
                {
                    reason = StopReason.OptimizerFinished;
                    break;
                }

                if (candidates.Count > k)
                {
                    throw new InvalidOperationException($"{optimizer.Name} proposed {candidates.Count} candidates when asked for at most {k}.");
                }

                var units = new double[candidates.Count][];
                for (int j = 0; j < candidates.Count; j++)
                {
                    units[j] = CheckCandidate(optimizer, candidates[j], d);
                }

                var batchObservations = new Observation[units.Length];
                int first = observations.Count;

                // Serve what the history already holds; collect the rest for evaluation.
                var fresh = new List<int>();
                for (int j = 0; j < units.Length; j++)
                {
                    int index = first + j;
                    if (index < replay.Count)
                    {
                        batchObservations[j] = Replay(replay[index], units[j], batch, fom, optimizer.Name);
                        replayed++;
                    }
                    else
                    {
                        fresh.Add(j);
                    }
                }

                if (fresh.Count > 0)
                {
                    var evalClock = Stopwatch.StartNew();
                    EvaluateFresh(problem, options, fom, units, fresh, first, batch, modelSeconds, elapsedOffset, total, batchObservations, writer);
                    evaluating += evalClock.Elapsed;
                }

                observations.AddRange(batchObservations);
                if (_onObservation is { } report)
                {
                    foreach (var o in batchObservations)
                    {
                        report(o);
                    }
                }

                clock.Restart();
                optimizer.Tell(batchObservations);
                pendingModel = clock.Elapsed;

                if (options.StopOnFirstFeasible && Array.Exists(batchObservations, o => o.IsFeasible))
                {
                    reason = StopReason.FirstFeasibleFound;
                    break;
                }
            }

            modeling += pendingModel;
            return new RunResult(problem.Name, optimizer.Name, reason, observations, replayed, modeling, evaluating, total.Elapsed);
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private static double[] CheckCandidate(IOptimizer optimizer, double[] candidate, int d)
    {
        if (candidate is null || candidate.Length != d)
        {
            throw new InvalidOperationException($"{optimizer.Name} proposed a candidate of length {candidate?.Length ?? 0}; the design space has {d} variables.");
        }

        var unit = new double[d];
        for (int i = 0; i < d; i++)
        {
            if (double.IsNaN(candidate[i]))
            {
                throw new InvalidOperationException($"{optimizer.Name} proposed a candidate with NaN in coordinate {i}.");
            }

            unit[i] = Math.Clamp(candidate[i], 0.0, 1.0);
        }

        return unit;
    }

    private static Observation Replay(Observation recorded, double[] unit, int batch, FigureOfMerit fom, string optimizerName)
    {
        if (!recorded.Unit.SequenceEqual(unit))
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"History entry {recorded.Index} does not match the candidate {optimizerName} proposes at that position; the history was written by a different seed, optimiser or setting."));
        }

        // FoM is recomputed so a resumed run with other FoM weights stays self-consistent.
        var e = recorded.Evaluation;
        return new Observation(recorded.Index, batch, unit, recorded.Physical, e, fom.Evaluate(e), fom.Violation(e), recorded.Timing);
    }

    private static void EvaluateFresh(
        IProblem problem,
        RunOptions options,
        FigureOfMerit fom,
        double[][] units,
        List<int> fresh,
        int first,
        int batch,
        double modelSeconds,
        double elapsedOffset,
        Stopwatch total,
        Observation[] destination,
        RunHistoryWriter? writer)
    {
        var gate = new object();
        int nextToWrite = 0;

        void Complete(int f)
        {
            int j = fresh[f];
            var physical = problem.Space.ToPhysical(units[j]);
            var clock = Stopwatch.StartNew();
            var evaluation = SafeEvaluate(problem, physical);
            double seconds = clock.Elapsed.TotalSeconds;
            lock (gate)
            {
                // Model time is charged to the first design of the batch only, so the column sums to the total.
                double model = j == 0 ? modelSeconds : 0.0;
                var timing = new ObservationTiming(seconds, model, elapsedOffset + total.Elapsed.TotalSeconds);
                destination[j] = new Observation(first + j, batch, units[j], physical, evaluation, fom.Evaluate(evaluation), fom.Violation(evaluation), timing);

                // History lines go out in candidate order, each as soon as it and all before it are done.
                while (nextToWrite < fresh.Count && destination[fresh[nextToWrite]] is { } ready)
                {
                    writer?.Write(ready);
                    nextToWrite++;
                }
            }
        }

        if (options.MaxDegreeOfParallelism > 1 && fresh.Count > 1)
        {
            Parallel.For(0, fresh.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism }, Complete);
        }
        else
        {
            for (int f = 0; f < fresh.Count; f++)
            {
                Complete(f);
            }
        }
    }

    private static Evaluation SafeEvaluate(IProblem problem, double[] physical)
    {
        Evaluation? evaluation;
        try
        {
            evaluation = problem.Evaluate(physical);
        }
#pragma warning disable CA1031 // An evaluator that throws is a failed design, recorded and penalised, never a crashed run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Evaluation.Failure($"{ex.GetType().Name}: {ex.Message}");
        }

        if (evaluation is null)
        {
            return Evaluation.Failure("the problem returned no evaluation");
        }

        if (evaluation.Succeeded && evaluation.Constraints.Length != problem.Constraints.Count)
        {
            return Evaluation.Failure(string.Create(
                CultureInfo.InvariantCulture,
                $"the problem returned {evaluation.Constraints.Length} constraint values, it declares {problem.Constraints.Count}"));
        }

        int metricCount = problem.MetricNames.Count;
        if (evaluation.Metrics.Length != 0 && evaluation.Metrics.Length != metricCount)
        {
            return Evaluation.Failure(string.Create(
                CultureInfo.InvariantCulture,
                $"the problem returned {evaluation.Metrics.Length} metrics, it declares {metricCount}"));
        }

        return evaluation;
    }
}

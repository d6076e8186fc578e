namespace DnnOpt.Optimization;

/// <summary>Why a run ended.</summary>
public enum StopReason
{
    /// <summary>The evaluation budget was used up.</summary>
    BudgetExhausted,

    /// <summary>A feasible design was found and <see cref="RunOptions.StopOnFirstFeasible"/> was set.</summary>
    FirstFeasibleFound,

    /// <summary>The optimiser proposed no more candidates.</summary>
    OptimizerFinished,

    /// <summary>The cancellation token was signalled; every evaluation completed so far is recorded.</summary>
    Cancelled,
}

/// <summary>The outcome of an optimisation run.</summary>
public sealed class RunResult
{
    internal RunResult(
        string problemName,
        string optimizerName,
        StopReason stopReason,
        IReadOnlyList<Observation> observations,
        int replayedEvaluations,
        TimeSpan modelingTime,
        TimeSpan evaluationTime,
        TimeSpan totalTime)
    {
        ProblemName = problemName;
        OptimizerName = optimizerName;
        StopReason = stopReason;
        Observations = observations;
        ReplayedEvaluations = replayedEvaluations;
        ModelingTime = modelingTime;
        EvaluationTime = evaluationTime;
        TotalTime = totalTime;

        foreach (var o in observations)
        {
            if (o.IsFeasible)
            {
                FirstFeasibleEvaluation ??= o.Index + 1;
                if (BestFeasible is null || o.Evaluation.Objective < BestFeasible.Evaluation.Objective)
                {
                    BestFeasible = o;
                }
            }

            if (BestFom is null || o.Fom < BestFom.Fom)
            {
                BestFom = o;
            }
        }
    }

    /// <summary>Name of the problem.</summary>
    public string ProblemName { get; }

    /// <summary>Name of the optimiser.</summary>
    public string OptimizerName { get; }

    /// <summary>Why the run ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>Every evaluation in order (replayed ones included).</summary>
    public IReadOnlyList<Observation> Observations { get; }

    /// <summary>Number of evaluations made (replayed ones included): the paper's "# of simulations".</summary>
    public int Evaluations => Observations.Count;

    /// <summary>How many evaluations were served from an existing history instead of the problem.</summary>
    public int ReplayedEvaluations { get; }

    /// <summary>1-based number of evaluations up to and including the first feasible one; null if none was feasible.</summary>
    public int? FirstFeasibleEvaluation { get; }

    /// <summary>The feasible design with the smallest objective (first one on ties); null if none was feasible.</summary>
    public Observation? BestFeasible { get; }

    /// <summary>The design with the smallest figure of merit (first one on ties); null only if nothing was evaluated.</summary>
    public Observation? BestFom { get; }

    /// <summary>
    /// The answer of the run: <see cref="BestFeasible"/> when one exists, otherwise <see cref="BestFom"/>
    /// (Algorithm 1 returns the design with the best FoM; for feasible designs FoM ranks by objective).
    /// </summary>
    public Observation? Best => BestFeasible ?? BestFom;

    /// <summary>Time spent in the optimiser (Start, Ask, Tell) in this process, replayed iterations included.</summary>
    public TimeSpan ModelingTime { get; }

    /// <summary>Wall-clock time spent evaluating new designs in this process.</summary>
    public TimeSpan EvaluationTime { get; }

    /// <summary>Wall-clock time of the whole run in this process.</summary>
    public TimeSpan TotalTime { get; }
}

using DnnOpt.Optimization;
using DnnOpt.Optimization.Benchmarks;

namespace DnnOpt.Study;

/// <summary>What the study keeps of one run.</summary>
public sealed record RunRecord(
    string Problem,
    string Algorithm,
    int Seed,
    int Budget,
    int Evaluations,
    StopReason StopReason,
    int? FirstSuccess,
    double? BestObjective,
    double ModelingSeconds,
    double EvaluationSeconds,
    double TotalSeconds,
    double[] BestFomTrace)
{
    public bool Success => FirstSuccess is not null;

    /// <summary>
    /// Condenses a run. Success is the first feasible design for a constrained problem and, for an unconstrained one,
    /// the first design at or below the problem's success threshold.
    /// </summary>
    public static RunRecord From(FunctionProblem problem, string algorithm, int seed, int budget, RunResult result)
    {
        double? threshold = problem.Constraints.Count == 0 ? problem.Optimum?.SuccessThreshold : null;
        int? first = null;
        var trace = new double[result.Evaluations];
        double best = double.PositiveInfinity;
        foreach (var o in result.Observations)
        {
            best = Math.Min(best, o.Fom);
            trace[o.Index] = best;
            bool success = threshold is { } t ? o.Evaluation.Succeeded && o.Evaluation.Objective <= t : o.IsFeasible;
            if (success && first is null)
            {
                first = o.Index + 1;
            }
        }

        return new RunRecord(
            problem.Name,
            algorithm,
            seed,
            budget,
            result.Evaluations,
            result.StopReason,
            first,
            result.BestFeasible?.Evaluation.Objective,
            result.ModelingTime.TotalSeconds,
            result.EvaluationTime.TotalSeconds,
            result.TotalTime.TotalSeconds,
            trace);
    }
}

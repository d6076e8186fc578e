using System.Globalization;
using System.Text;

namespace DnnOpt.Study;

/// <summary>Table II-style summaries, CSV files and convergence plots of a finished study.</summary>
public static class Report
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public sealed record Summary(
        string Problem,
        string Algorithm,
        int Runs,
        int Budget,
        int Successes,
        double MedianFirst,
        double MaxFirst,
        double? MeanFirstOfSuccesses,
        double? BestMin,
        double? BestMax,
        double? BestMean,
        double? MeanGapPercent,
        bool GapIsAbsolute,
        double MeanModelingSeconds,
        double MeanSimulationSeconds,
        double MeanTotalSeconds);

    public static Summary Summarise(StudyProblem problem, string algorithm, IReadOnlyList<RunRecord> runs)
    {
        // Runs that never succeeded count as +infinity, so the median is honest when fewer than half succeeded.
        var first = runs.Select(r => r.FirstSuccess is { } f ? (double)f : double.PositiveInfinity).OrderBy(v => v).ToArray();
        double median = first.Length % 2 == 1 ? first[first.Length / 2] : 0.5 * (first[(first.Length / 2) - 1] + first[first.Length / 2]);
        var successes = runs.Where(r => r.FirstSuccess is not null).Select(r => (double)r.FirstSuccess!.Value).ToArray();
        var bests = runs.Where(r => r.BestObjective is not null).Select(r => r.BestObjective!.Value).ToArray();
        double? gap = null;
        bool absolute = false;
        if (bests.Length > 0 && problem.Optimum is { } opt)
        {
            // A percentage of f* = 0 means nothing: such problems report the absolute gap.
            absolute = Math.Abs(opt.Value) <= 1e-12;
            gap = absolute ? bests.Average(b => b - opt.Value) : 100 * bests.Average(b => (b - opt.Value) / Math.Abs(opt.Value));
        }

        return new Summary(
            problem.Name,
            algorithm,
            runs.Count,
            runs.Max(r => r.Budget),
            runs.Count(r => r.Success),
            median,
            first.Max(),
            successes.Length > 0 ? successes.Average() : null,
            bests.Length > 0 ? bests.Min() : null,
            bests.Length > 0 ? bests.Max() : null,
            bests.Length > 0 ? bests.Average() : null,
            gap,
            absolute,
            runs.Average(r => r.ModelingSeconds),
            runs.Average(r => r.EvaluationSeconds),
            runs.Average(r => r.TotalSeconds));
    }

    public static string Table(StudyProblem problem, IReadOnlyList<Summary> summaries, bool stopOnFirstFeasible)
    {
        var sb = new StringBuilder();
        string kind = problem.ConstraintCount > 0
            ? $"{problem.ConstraintCount} constraints; success = feasible design found"
            : $"unconstrained; success = objective <= {F(problem.Optimum?.SuccessThreshold)}";
        sb.Append(Inv, $"### {problem.Name} ({problem.Kind}): {problem.Dimension} variables, {kind}; objective {problem.ObjectiveName}, f* = {F(problem.Optimum?.Value)}");
        if (stopOnFirstFeasible)
        {
            sb.Append("; runs stop at first success");
        }

        sb.AppendLine().AppendLine();
        sb.Append("| metric |");
        foreach (var s in summaries)
        {
            sb.Append(' ').Append(s.Algorithm).Append(" |");
        }

        sb.AppendLine().Append("| --- |");
        foreach (var _ in summaries)
        {
            sb.Append(" ---: |");
        }

        sb.AppendLine();
        Row(sb, "budget (simulations)", summaries, s => s.Budget.ToString(Inv));
        Row(sb, "success rate", summaries, s => $"{s.Successes}/{s.Runs}");
        Row(sb, "sims to first success, median", summaries, s => Count(s.MedianFirst, s.Budget));
        Row(sb, "sims to first success, max", summaries, s => Count(s.MaxFirst, s.Budget));
        Row(sb, "sims to first success, mean of successful runs", summaries, s => s.MeanFirstOfSuccesses is { } m ? m.ToString("0.#", Inv) : "-");
        Row(sb, "best objective, min", summaries, s => F(s.BestMin));
        Row(sb, "best objective, max", summaries, s => F(s.BestMax));
        Row(sb, "best objective, mean", summaries, s => F(s.BestMean));
        bool absoluteGap = problem.Optimum is { } optimum && Math.Abs(optimum.Value) <= 1e-12;
        Row(sb, absoluteGap ? "mean gap to f* (absolute, f* = 0)" : "mean gap to f* (%)", summaries, s => s.MeanGapPercent is { } g ? Small(g) : "-");
        Row(sb, "modeling time per run (s)", summaries, s => s.MeanModelingSeconds.ToString("0.###", Inv));
        Row(sb, "simulation time per run (s)", summaries, s => s.MeanSimulationSeconds.ToString("0.###", Inv));
        Row(sb, "total time per run (s)", summaries, s => s.MeanTotalSeconds.ToString("0.###", Inv));
        return sb.ToString();
    }

    public static void WriteRuns(string path, IEnumerable<RunRecord> runs)
    {
        var sb = new StringBuilder("problem,algorithm,seed,budget,evaluations,stop_reason,success,first_success,best_objective,modeling_s,evaluation_s,total_s\n");
        foreach (var r in runs)
        {
            sb.Append(Inv, $"{r.Problem},{r.Algorithm},{r.Seed},{r.Budget},{r.Evaluations},{r.StopReason},{(r.Success ? 1 : 0)},{r.FirstSuccess?.ToString(Inv) ?? ""},{R(r.BestObjective)},{R(r.ModelingSeconds)},{R(r.EvaluationSeconds)},{R(r.TotalSeconds)}\n");
        }

        File.WriteAllText(path, sb.ToString());
    }

    public static void WriteSummaries(string path, IEnumerable<Summary> summaries)
    {
        var sb = new StringBuilder("problem,algorithm,runs,budget,successes,median_first_success,max_first_success,mean_first_success_of_successes,best_min,best_max,best_mean,mean_gap,gap_is_absolute,mean_modeling_s,mean_simulation_s,mean_total_s\n");
        foreach (var s in summaries)
        {
            sb.Append(Inv, $"{s.Problem},{s.Algorithm},{s.Runs},{s.Budget},{s.Successes},{R(s.MedianFirst)},{R(s.MaxFirst)},{R(s.MeanFirstOfSuccesses)},{R(s.BestMin)},{R(s.BestMax)},{R(s.BestMean)},{R(s.MeanGapPercent)},{(s.GapIsAbsolute ? 1 : 0)},{R(s.MeanModelingSeconds)},{R(s.MeanSimulationSeconds)},{R(s.MeanTotalSeconds)}\n");
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Median (and min, max) over seeds of the best-so-far FoM after each number of simulations.</summary>
    public static IReadOnlyList<(int Evaluation, double Median, double Min, double Max)> Convergence(IReadOnlyList<RunRecord> runs)
    {
        int length = runs.Max(r => r.Budget);
        var result = new List<(int, double, double, double)>(length);
        for (int e = 0; e < length; e++)
        {
            // A run that stopped early keeps its last value (its best design does not get worse).
            var values = runs.Where(r => r.BestFomTrace.Length > 0)
                .Select(r => r.BestFomTrace[Math.Min(e, r.BestFomTrace.Length - 1)]).OrderBy(v => v).ToArray();
            if (values.Length == 0)
            {
                continue;
            }

            double median = values.Length % 2 == 1 ? values[values.Length / 2] : 0.5 * (values[(values.Length / 2) - 1] + values[values.Length / 2]);
            result.Add((e + 1, median, values[0], values[^1]));
        }

        return result;
    }

    public static void WriteConvergence(string path, IEnumerable<(string Problem, string Algorithm, IReadOnlyList<(int Evaluation, double Median, double Min, double Max)> Curve)> curves)
    {
        var sb = new StringBuilder("problem,algorithm,evaluation,median_best_fom,min_best_fom,max_best_fom\n");
        foreach (var (problem, algorithm, curve) in curves)
        {
            foreach (var (e, median, min, max) in curve)
            {
                sb.Append(Inv, $"{problem},{algorithm},{e},{R(median)},{R(min)},{R(max)}\n");
            }
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static void Row(StringBuilder sb, string name, IReadOnlyList<Summary> summaries, Func<Summary, string> cell)
    {
        sb.Append("| ").Append(name).Append(" |");
        foreach (var s in summaries)
        {
            sb.Append(' ').Append(cell(s)).Append(" |");
        }

        sb.AppendLine();
    }

    private static string Count(double value, int budget) =>
        double.IsPositiveInfinity(value) ? $">{budget.ToString(Inv)}" : value.ToString("0.#", Inv);

    // Three decimals, without the "-0" that a tiny negative gap (rounding below f*) would print.
    private static string Small(double value) => Math.Abs(value) < 0.0005 ? "0" : value.ToString("0.###", Inv);

    private static string F(double? value) => value is { } v ? v.ToString("G6", Inv) : "-";

    private static string R(double? value) => value is { } v ? v.ToString("R", Inv) : string.Empty;
}

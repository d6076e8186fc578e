using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DnnOpt.Optimization;

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
    private static readonly JsonSerializerOptions Json = new()
    {
        // Failed designs have FoM +inf, so early trace entries can be infinite.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public bool Success => FirstSuccess is not null;

    /// <summary>
    /// Condenses a run. Success is the first feasible design for a constrained problem and, for an unconstrained one,
    /// the first design at or below <paramref name="successThreshold"/>.
    /// </summary>
    /// <remarks>
    /// A run resumed from its history re-runs the optimiser over the recorded part (deterministic replay), so this
    /// process's clocks count that modelling twice and miss the earlier sessions' simulations. The times of a resumed
    /// run are therefore the sums of the per-simulation times recorded in the history (model_s, eval_s), which cover
    /// every session once; an uninterrupted run uses the runner's clocks (the same sums plus the loop's overhead).
    /// </remarks>
    public static RunRecord From(string problem, double? successThreshold, string algorithm, int seed, int budget, RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int? first = null;
        var trace = new double[result.Evaluations];
        double best = double.PositiveInfinity, model = 0, evaluation = 0;
        foreach (var o in result.Observations)
        {
            best = Math.Min(best, o.Fom);
            trace[o.Index] = best;
            model += o.Timing.ModelingSeconds;
            evaluation += o.Timing.EvaluationSeconds;
            bool success = successThreshold is { } t ? o.Evaluation.Succeeded && o.Evaluation.Objective <= t : o.IsFeasible;
            if (success && first is null)
            {
                first = o.Index + 1;
            }
        }

        bool resumed = result.ReplayedEvaluations > 0;
        return new RunRecord(
            problem,
            algorithm,
            seed,
            budget,
            result.Evaluations,
            result.StopReason,
            first,
            result.BestFeasible?.Evaluation.Objective,
            resumed ? model : result.ModelingTime.TotalSeconds,
            resumed ? evaluation : result.EvaluationTime.TotalSeconds,
            resumed ? model + evaluation : result.TotalTime.TotalSeconds,
            trace);
    }

    /// <summary>File name stem of a run: <c>problem_algorithm_seed</c>, with characters unsafe in file names replaced.</summary>
    public static string Stem(string problem, string algorithm, int seed)
    {
        string safe = string.Concat(algorithm.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        return string.Create(CultureInfo.InvariantCulture, $"{problem}_{safe}_{seed}");
    }

    /// <summary>Writes the record as JSON (written to a temporary file and renamed, so a killed process leaves no half record).</summary>
    public void Save(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a record written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a run record.</exception>
    public static RunRecord Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: empty run record.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a run record ({ex.Message}).", ex);
        }
    }
}

namespace DnnOpt.Optimization;

/// <summary>
/// One evaluated design as the run saw it: one line of the run history. Immutable.
/// </summary>
public sealed class Observation
{
    private readonly double[] _unit;
    private readonly double[] _physical;

    /// <summary>Creates an observation; the arrays are copied.</summary>
    public Observation(
        int index,
        int batch,
        ReadOnlySpan<double> unit,
        ReadOnlySpan<double> physical,
        Evaluation evaluation,
        double fom,
        double violation,
        ObservationTiming timing)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (unit.Length != physical.Length)
        {
            throw new ArgumentException($"Unit ({unit.Length}) and physical ({physical.Length}) vectors differ in length.", nameof(physical));
        }

        Index = index;
        Batch = batch;
        _unit = unit.ToArray();
        _physical = physical.ToArray();
        Evaluation = evaluation;
        Fom = fom;
        Violation = violation;
        Timing = timing;
    }

    /// <summary>0-based position in the run (the number of evaluations before this one).</summary>
    public int Index { get; }

    /// <summary>0-based index of the optimiser proposal (Ask) that produced this design.</summary>
    public int Batch { get; }

    /// <summary>Design in unit-cube coordinates, as the optimiser proposed it (clamped to [0, 1]).</summary>
    public ReadOnlySpan<double> Unit => _unit;

    /// <summary>Design in physical units, as the problem received it.</summary>
    public ReadOnlySpan<double> Physical => _physical;

    /// <summary>Objective, constraints or failure.</summary>
    public Evaluation Evaluation { get; }

    /// <summary>Figure of merit g (eq. 4, normalised); +infinity for a failure.</summary>
    public double Fom { get; }

    /// <summary>Total normalised constraint violation (0 when feasible); +infinity for a failure.</summary>
    public double Violation { get; }

    /// <summary>True when the evaluation succeeded and every constraint is met.</summary>
    public bool IsFeasible => Evaluation.IsFeasible;

    /// <summary>True when the evaluation failed.</summary>
    public bool IsFailure => !Evaluation.Succeeded;

    /// <summary>Wall-clock timings recorded with this observation.</summary>
    public ObservationTiming Timing { get; }
}

/// <summary>Wall-clock timings of one observation, in seconds.</summary>
/// <param name="EvaluationSeconds">Time the problem took to evaluate this design.</param>
/// <param name="ModelingSeconds">
/// Optimiser time (Tell of the previous batch plus Ask of this batch) charged to the first design of a batch; 0 for
/// the other designs of the batch, so the column sums to the run's modeling time.
/// </param>
/// <param name="ElapsedSeconds">Time since the run started when this design's result was recorded.</param>
public readonly record struct ObservationTiming(double EvaluationSeconds, double ModelingSeconds, double ElapsedSeconds);

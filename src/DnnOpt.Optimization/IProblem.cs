namespace DnnOpt.Optimization;

/// <summary>
/// A black-box constrained minimisation problem (paper eq. 1): minimise f0(x) subject to fi(x) &lt;= 0, i = 1..m,
/// over a design space. Circuit sizing problems implement this in DnnOpt.Sizing; this layer knows nothing of circuits.
/// </summary>
/// <remarks>
/// Implementations report failures (non-convergence, missing measurement) as <see cref="Evaluation.Failure"/>
/// rather than throwing; the runner also turns an exception into a recorded failure. When the runner evaluates a
/// batch in parallel (<see cref="RunOptions.MaxDegreeOfParallelism"/> &gt; 1), <see cref="Evaluate"/> is called
/// concurrently and must be thread-safe.
/// </remarks>
public interface IProblem
{
    /// <summary>Problem name (reports, history file names).</summary>
    string Name { get; }

    /// <summary>The design variables and their bounds.</summary>
    DesignSpace Space { get; }

    /// <summary>Name and normalisation scale of the objective f0.</summary>
    MetricInfo Objective { get; }

    /// <summary>Names and normalisation scales of the constraints f1..fm (m = Count, possibly 0).</summary>
    IReadOnlyList<MetricInfo> Constraints { get; }

    /// <summary>
    /// Names of extra measurements an evaluation may report for the record (e.g. raw gain in dB, power in W), in the
    /// order of <see cref="Evaluation.Metrics"/>. They appear in the run history as <c>m.NAME</c> columns; optimisers
    /// ignore them. Default: none.
    /// </summary>
    IReadOnlyList<string> MetricNames => [];

    /// <summary>Evaluates one design given in physical units (length = <c>Space.Dimension</c>).</summary>
    Evaluation Evaluate(ReadOnlySpan<double> physicalX);
}

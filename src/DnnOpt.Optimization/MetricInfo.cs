namespace DnnOpt.Optimization;

/// <summary>
/// Name and normalisation scale of one problem output (the objective or a constraint).
/// </summary>
/// <param name="Name">Identifier used in run histories and reports (no commas, quotes or line breaks).</param>
/// <param name="Scale">
/// Positive typical magnitude of the output in its own unit. The figure of merit divides the output by it, so a
/// constraint <c>f = 60 dB - gain</c> with scale 60 reads as "fraction of the spec missed", and volts, decibels and
/// hertz weigh alike. Default 1 (the output is already dimensionless). Recommended for a spec <c>metric &gt; target</c>:
/// <c>f = target - metric</c> with scale <c>|target|</c> (or the metric's typical size when the target is 0).
/// </param>
public sealed record MetricInfo(string Name, double Scale = 1.0)
{
    /// <summary>Throws <see cref="ArgumentException"/> for an empty or unsafe name or a scale that is not finite and positive.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            throw new ArgumentException($"Metric name '{Name}' must be non-empty and free of commas, quotes and line breaks.", nameof(Name));
        }

        if (!double.IsFinite(Scale) || Scale <= 0)
        {
            throw new ArgumentException($"Metric '{Name}': scale must be finite and positive (got {Scale}).", nameof(Scale));
        }
    }
}

namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// The figure of merit (eq. 4) of critic outputs and its gradient. The critic predicts normalised outputs
/// y0 (the objective term) and yi = ci·fi through a standardisation and the signed-log compression of
/// <see cref="CriticModel"/>: y = Expand(q·scale + mean). Then <c>g = y0 + Σ min(1, max(0, yi))</c>, with
/// ∂g/∂q0 = Expand'·scale0 and ∂g/∂qi = Expand'·scale_i where 0 &lt; yi &lt; 1, else 0.
/// </summary>
internal static class FomGradient
{
    /// <summary>
    /// Computes g for each of the <paramref name="rows"/> rows of <paramref name="q"/>; writes the per-row g to
    /// <paramref name="fom"/> (if not empty) and <paramref name="weight"/>·∂g/∂q to <paramref name="gradient"/> (if not empty).
    /// </summary>
    public static double Evaluate(
        ReadOnlySpan<float> q, int rows, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, float weight, Span<double> fom, Span<float> gradient)
    {
        int w = mean.Length;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = q.Slice(r * w, w);
            double g = CriticModel.Expand((row[0] * scale[0]) + mean[0], out double slope0);
            if (!gradient.IsEmpty)
            {
                gradient[r * w] = (float)(weight * scale[0] * slope0);
            }

            for (int l = 1; l < w; l++)
            {
                double y = CriticModel.Expand((row[l] * scale[l]) + mean[l], out double slope);
                bool active = y > 0 && y < 1;
                g += Math.Min(1.0, Math.Max(0.0, y));
                if (!gradient.IsEmpty)
                {
                    gradient[(r * w) + l] = active ? (float)(weight * scale[l] * slope) : 0f;
                }
            }

            if (!fom.IsEmpty)
            {
                fom[r] = g;
            }

            sum += g;
        }

        return sum;
    }
}

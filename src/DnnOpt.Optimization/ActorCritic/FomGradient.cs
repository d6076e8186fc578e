namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// The figure of merit (eq. 4) of critic outputs and its gradient. The critic predicts normalised outputs
/// y0 (the objective term) and yi = ci·fi through a standardisation and the signed-log compression of
/// <see cref="CriticModel"/>: y = Expand(q·scale + mean). Then <c>g = y0 + Σ h(yi)</c> with the constraint shape
/// <c>h(y) = min(1, max(0, y))</c> of eq. 4 extended above 1 by <c>τ·ln(y)</c> (<see cref="Shape"/>, τ =
/// <see cref="DnnOptOptions.ViolationTail"/>), so ∂g/∂q0 = Expand'·scale0 and ∂g/∂qi = h'(yi)·Expand'·scale_i.
/// </summary>
internal static class FomGradient
{
    /// <summary>
    /// Computes g for each of the <paramref name="rows"/> rows of <paramref name="q"/>; writes the per-row g to
    /// <paramref name="fom"/> (if not empty) and <paramref name="weight"/>·∂g/∂q to <paramref name="gradient"/> (if not empty).
    /// With <paramref name="creditOnlyWhenMet"/> a row that misses a constraint gets max(y0, 0) for its objective term
    /// (<see cref="DnnOptOptions.InfeasibleObjectiveCredit"/>), and no gradient through y0 where that clips.
    /// </summary>
    public static double Evaluate(
        ReadOnlySpan<float> q, int rows, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, float weight, double tail,
        bool creditOnlyWhenMet, Span<double> fom, Span<float> gradient)
    {
        int w = mean.Length;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = q.Slice(r * w, w);
            double y0 = CriticModel.Expand((row[0] * scale[0]) + mean[0], out double slope0);
            double g = y0;
            double violation = 0;
            for (int l = 1; l < w; l++)
            {
                double y = CriticModel.Expand((row[l] * scale[l]) + mean[l], out double slope);
                double h = Shape(y, tail, out double dh);
                g += h;
                violation += h;
                if (!gradient.IsEmpty)
                {
                    gradient[(r * w) + l] = (float)(weight * scale[l] * slope * dh);
                }
            }

            // g is summed from y0 on (not y0 + violation) so runs with the credit keep their bits.
            bool clipped = WithoutCredit(creditOnlyWhenMet, y0, violation);
            if (clipped)
            {
                g = violation;
            }

            if (!gradient.IsEmpty)
            {
                gradient[r * w] = clipped ? 0f : (float)(weight * scale[0] * slope0);
            }

            if (!fom.IsEmpty)
            {
                fom[r] = g;
            }

            sum += g;
        }

        return sum;
    }

    /// <summary>
    /// Whether a design with objective term <paramref name="y0"/> and violation Σ h(yi) = <paramref name="violation"/>
    /// loses its objective credit (then g = violation): it misses a constraint and its objective is better than the
    /// best feasible one, and <paramref name="creditOnlyWhenMet"/> is set. The one rule for the elite ranking, the
    /// actor's loss and eq. 8.
    /// </summary>
    public static bool WithoutCredit(bool creditOnlyWhenMet, double y0, double violation) =>
        creditOnlyWhenMet && violation > 0 && y0 < 0;

    /// <summary>
    /// A constraint's share of g for a normalised value y = ci·fi: 0 when met (y ≤ 0), y up to 1 (eq. 4), and
    /// 1 + τ·ln(y) above, with its derivative in <paramref name="derivative"/>. τ = 0 is eq. 4's hard clip, flat above 1:
    /// a spec missed by more than its scale then gives the actor no gradient and the elite ranking no information, so
    /// a design missing it by 5x ranks with one missing it by 1.1x (what stalled DNN-Opt on fc-ota). A small τ keeps
    /// one badly missed spec from dominating g (the clip's purpose) while still rewarding progress on it.
    /// </summary>
    public static double Shape(double y, double tail, out double derivative)
    {
        if (y <= 0)
        {
            derivative = 0;
            return 0;
        }

        if (y < 1)
        {
            derivative = 1;
            return y;
        }

        derivative = tail / y;
        return 1 + (tail * Math.Log(y));
    }
}

using System.Numerics;

namespace DnnOpt.Neural.Losses;

/// <summary>
/// Mean squared error over a batch of multi-output rows with per-output weights:
/// <c>L = 1/(B·m) Σ_k Σ_l w_l (y_kl − t_kl)²</c>, the critic loss of DNN-Opt (paper eq. 3) when every w_l = 1.
/// </summary>
public static class WeightedMse
{
    /// <summary>Computes L and writes ∂L/∂y to <paramref name="gradient"/>.</summary>
    /// <param name="predictions">B × m predicted values, row-major.</param>
    /// <param name="targets">B × m target values.</param>
    /// <param name="weights">m non-negative weights, or empty for all ones.</param>
    /// <param name="width">m, the number of outputs per row.</param>
    /// <param name="gradient">Receives ∂L/∂y (B × m); may be empty to compute the value only.</param>
    /// <returns>L, accumulated in double precision.</returns>
    /// <exception cref="ArgumentException">Lengths do not match.</exception>
    public static double Evaluate<T>(
        ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, ReadOnlySpan<T> weights, int width, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (predictions.Length != targets.Length || predictions.Length % width != 0)
        {
            throw new ArgumentException(
                $"Predictions ({predictions.Length}) and targets ({targets.Length}) must be equal whole rows of {width}.",
                nameof(targets));
        }

        if (!weights.IsEmpty && weights.Length != width)
        {
            throw new ArgumentException($"Expected {width} output weights, got {weights.Length}.", nameof(weights));
        }

        if (!gradient.IsEmpty && gradient.Length != predictions.Length)
        {
            throw new ArgumentException($"Expected {predictions.Length} gradient values, got {gradient.Length}.", nameof(gradient));
        }

        if (predictions.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        double scale = 1.0 / predictions.Length;
        T gradientScale = T.CreateChecked(2.0 * scale);
        for (int i = 0; i < predictions.Length; i++)
        {
            T w = weights.IsEmpty ? T.One : weights[i % width];
            T e = predictions[i] - targets[i];
            sum += double.CreateChecked(w * e * e);
            if (!gradient.IsEmpty)
            {
                gradient[i] = gradientScale * w * e;
            }
        }

        return sum * scale;
    }
}

using System.Numerics;
using System.Numerics.Tensors;

namespace DnnOpt.Neural.Training;

/// <summary>Gradient-norm utilities used by the trainers.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> so its Euclidean norm is at most <paramref name="maxNorm"/>
    /// (Pascanu et al., 2013) and returns the norm before scaling. A non-finite norm is returned as is and the
    /// gradients are left untouched, so the caller can reject the step.
    /// </summary>
    /// <param name="gradients">The gradient vector, modified in place.</param>
    /// <param name="maxNorm">Upper bound on the norm; 0 or positive infinity disables clipping.</param>
    public static double ClipByGlobalNorm<T>(Span<T> gradients, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNorm);
        double norm = Norm<T>(gradients);
        if (double.IsFinite(norm) && maxNorm > 0 && double.IsFinite(maxNorm) && norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, T.CreateChecked(maxNorm / norm), gradients);
        }

        return norm;
    }

    /// <summary>Euclidean norm accumulated in double precision (float sums of squares lose digits on long vectors).</summary>
    public static double Norm<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (T x in values)
        {
            double d = double.CreateChecked(x);
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }
}

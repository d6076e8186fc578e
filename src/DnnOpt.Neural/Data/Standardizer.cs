using System.Numerics;

namespace DnnOpt.Neural.Data;

/// <summary>
/// Per-column standardisation <c>x' = (x − μ) / σ</c> of row-major data, fitted on training rows. Columns whose
/// spread is below <see cref="MinimumScale"/> (constants) are centred but not scaled, so they never divide by ~0.
/// </summary>
public sealed class Standardizer
{
    /// <summary>Smallest σ used for scaling; a column with less spread keeps σ = 1.</summary>
    public const double MinimumScale = 1e-12;

    private readonly double[] _mean;
    private readonly double[] _scale;

    /// <summary>Creates a standardiser from known means and scales (e.g. when loading a saved network).</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a scale is not positive and finite.</exception>
    public Standardizer(ReadOnlySpan<double> mean, ReadOnlySpan<double> scale)
    {
        if (mean.Length != scale.Length || mean.IsEmpty)
        {
            throw new ArgumentException($"Mean ({mean.Length}) and scale ({scale.Length}) must have the same non-zero length.", nameof(scale));
        }

        foreach (double s in scale)
        {
            if (!(s > 0) || !double.IsFinite(s))
            {
                throw new ArgumentException($"Scales must be positive and finite; got {s}.", nameof(scale));
            }
        }

        foreach (double m in mean)
        {
            if (!double.IsFinite(m))
            {
                throw new ArgumentException($"Means must be finite; got {m}.", nameof(mean));
            }
        }

        _mean = mean.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>Number of columns.</summary>
    public int Width => _mean.Length;

    /// <summary>Column means μ.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Column scales σ (population standard deviations, or 1 for constant columns).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>Fits μ and σ to the rows of <paramref name="data"/> (rows × <paramref name="width"/>, row-major).</summary>
    /// <exception cref="ArgumentException">The data is empty, not whole rows, or not finite.</exception>
    public static Standardizer Fit<T>(ReadOnlySpan<T> data, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (data.IsEmpty || data.Length % width != 0)
        {
            throw new ArgumentException($"Expected whole, non-empty rows of {width} values; got {data.Length} values.", nameof(data));
        }

        int rows = data.Length / width;
        var mean = new double[width];
        var m2 = new double[width];
        // Welford's update: stable for columns with a large mean and a small spread (e.g. frequencies).
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < width; c++)
            {
                double x = double.CreateChecked(data[(r * width) + c]);
                if (!double.IsFinite(x))
                {
                    throw new ArgumentException($"Row {r}, column {c} is not finite ({x}).", nameof(data));
                }

                double delta = x - mean[c];
                mean[c] += delta / (r + 1);
                m2[c] += delta * (x - mean[c]);
            }
        }

        var scale = new double[width];
        for (int c = 0; c < width; c++)
        {
            double sd = Math.Sqrt(m2[c] / rows);
            scale[c] = sd > MinimumScale * Math.Max(1.0, Math.Abs(mean[c])) ? sd : 1.0;
        }

        return new Standardizer(mean, scale);
    }

    /// <summary>Standardises whole rows in place.</summary>
    public void Transform<T>(Span<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            int c = i % _mean.Length;
            rows[i] = T.CreateChecked((double.CreateChecked(rows[i]) - _mean[c]) / _scale[c]);
        }
    }

    /// <summary>Maps standardised rows back to original units in place.</summary>
    public void InverseTransform<T>(Span<T> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            int c = i % _mean.Length;
            rows[i] = T.CreateChecked((double.CreateChecked(rows[i]) * _scale[c]) + _mean[c]);
        }
    }

    private void CheckRows(int length)
    {
        if (length % _mean.Length != 0)
        {
            throw new ArgumentException($"Expected whole rows of {_mean.Length} values; got {length} values.", nameof(length));
        }
    }
}

namespace DnnOpt.Optimization;

/// <summary>
/// Latin hypercube sampling of the unit cube (McKay, Beckman, Conover 1979): each of the n strata of every coordinate
/// holds exactly one point, placed uniformly at random inside its stratum.
/// </summary>
public static class LatinHypercube
{
    /// <summary>
    /// Fills <paramref name="destination"/> (row-major, n rows of <paramref name="dimension"/> values, n =
    /// destination.Length / dimension) with a Latin hypercube sample drawn from <paramref name="random"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Dimension below 1 or a destination length that is not a multiple of it.</exception>
    public static void Sample(int dimension, Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (destination.Length % dimension != 0)
        {
            throw new ArgumentException($"Destination length {destination.Length} is not a multiple of the dimension {dimension}.", nameof(destination));
        }

        int n = destination.Length / dimension;
        if (n == 0)
        {
            return;
        }

        Span<int> perm = n <= 256 ? stackalloc int[n] : new int[n];
        for (int j = 0; j < dimension; j++)
        {
            for (int i = 0; i < n; i++)
            {
                perm[i] = i;
            }

            // Fisher-Yates: a uniformly random assignment of strata to points for this coordinate.
            for (int i = n - 1; i > 0; i--)
            {
                int r = random.Next(i + 1);
                (perm[i], perm[r]) = (perm[r], perm[i]);
            }

            for (int i = 0; i < n; i++)
            {
                destination[(i * dimension) + j] = (perm[i] + random.NextDouble()) / n;
            }
        }
    }

    /// <summary>Returns <paramref name="count"/> Latin hypercube points of <paramref name="dimension"/> coordinates each.</summary>
    public static double[][] Sample(int count, int dimension, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var flat = new double[count * dimension];
        Sample(dimension, random, flat);
        var rows = new double[count][];
        for (int i = 0; i < count; i++)
        {
            rows[i] = flat.AsSpan(i * dimension, dimension).ToArray();
        }

        return rows;
    }
}

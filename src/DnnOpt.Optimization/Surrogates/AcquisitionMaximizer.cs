using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.Surrogates;

/// <summary>
/// Multi-start maximisation of an acquisition function over the unit cube: score uniform random candidates plus
/// Gaussian perturbations of the best observed designs, then refine the best few distinct ones by a (1+1) evolution
/// strategy with the one-fifth success rule. Returns the refined points, best first.
/// </summary>
internal static class AcquisitionMaximizer
{
    // acquisition scores one point (the local refinement's steps); batchAcquisition scores many at once, equal to
    // acquisition on each (the candidate pool goes through it, so a surrogate can predict in blocks).
    public static List<double[]> Maximize(
        Func<double[], double> acquisition,
        Func<double[][], double[]> batchAcquisition,
        int dimension,
        IReadOnlyList<double[]> anchors,
        int count,
        Random random,
        int randomCandidates,
        int localStarts,
        int localSteps)
    {
        // Every candidate is drawn before any is scored (the acquisition draws no random numbers, so the stream is the
        // same either way), then the pool is scored as one batch.
        var points = new List<double[]>(randomCandidates + (anchors.Count * 10));
        for (int i = 0; i < randomCandidates; i++)
        {
            var x = new double[dimension];
            for (int j = 0; j < dimension; j++)
            {
                x[j] = random.NextDouble();
            }

            points.Add(x);
        }

        foreach (var anchor in anchors)
        {
            for (int i = 0; i < 10; i++)
            {
                var x = new double[dimension];
                for (int j = 0; j < dimension; j++)
                {
                    x[j] = RandomExtensions.Reflect(anchor[j] + (0.05 * random.NextGaussian()));
                }

                points.Add(x);
            }
        }

        double[] scores = batchAcquisition([.. points]);
        var pool = new List<(double[] X, double Value)>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            pool.Add((points[i], scores[i]));
        }

        // Stable order: by value, ties by insertion (List.Sort is unstable, so sort indices).
        var order = Enumerable.Range(0, pool.Count).OrderByDescending(i => pool[i].Value).ThenBy(i => i).ToList();
        var starts = new List<(double[] X, double Value)>();
        foreach (int i in order)
        {
            if (starts.Count >= Math.Max(localStarts, count))
            {
                break;
            }

            if (starts.TrueForAll(s => Distance(s.X, pool[i].X) > 1e-3))
            {
                starts.Add(pool[i]);
            }
        }

        var refined = new List<(double[] X, double Value)>();
        foreach (var (x0, v0) in starts)
        {
            var x = x0;
            double v = v0;
            double step = 0.05;
            for (int s = 0; s < localSteps && step > 1e-4; s++)
            {
                var trial = new double[dimension];
                for (int j = 0; j < dimension; j++)
                {
                    trial[j] = RandomExtensions.Reflect(x[j] + (step * random.NextGaussian()));
                }

                double tv = acquisition(trial);
                if (tv > v)
                {
                    x = trial;
                    v = tv;
                    step *= 1.5;
                }
                else
                {
                    step *= 0.85;
                }
            }

            refined.Add((x, v));
        }

        var result = new List<double[]>();
        foreach (int i in Enumerable.Range(0, refined.Count).OrderByDescending(i => refined[i].Value).ThenBy(i => i))
        {
            if (result.Count < count && result.TrueForAll(r => Distance(r, refined[i].X) > 1e-6))
            {
                result.Add(refined[i].X);
            }
        }

        return result;
    }

    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }

        return Math.Sqrt(s);
    }
}

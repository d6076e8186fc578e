namespace DnnOpt.Optimization.Surrogates;

/// <summary>
/// One Gaussian process per problem output (objective and each constraint), as BO-wEI and GASPAD use them. Failed
/// designs are imputed with the worst value of each output seen among successful ones, so the models learn that the
/// failing region is bad instead of ignoring it. Hyperparameters are refitted (warm-started) when the data has grown by
/// a tenth since the last fit, and the models are only re-conditioned in between: the O(n^3) likelihood fit then costs
/// O(log n) fits per run instead of one per evaluation.
/// </summary>
internal sealed class OutputModels
{
    private readonly int _outputs;
    private readonly int _dimension;
    private readonly GaussianProcessOptions _options;
    private readonly GaussianProcessHyperparameters?[] _hyper;
    private GaussianProcess[] _models = [];
    private int _lastFitCount;
    private double[] _work = [];
    private double[] _x = [];

    public OutputModels(int dimension, int constraintCount, GaussianProcessOptions options)
    {
        _dimension = dimension;
        _outputs = constraintCount + 1;
        _options = options;
        _hyper = new GaussianProcessHyperparameters?[_outputs];
    }

    public bool IsReady => _models.Length > 0;

    public int TrainingCount { get; private set; }

    /// <summary>
    /// Re-conditions on <paramref name="data"/> (refitting hyperparameters when due, judged by
    /// <paramref name="totalSeen"/>). Returns false when no design has succeeded yet, so nothing can be modelled.
    /// </summary>
    public bool Update(IReadOnlyList<Observation> data, int totalSeen)
    {
        var worst = new double[_outputs];
        Array.Fill(worst, double.NegativeInfinity);
        int successes = 0;
        foreach (var o in data)
        {
            if (o.Evaluation.Succeeded)
            {
                successes++;
                worst[0] = Math.Max(worst[0], o.Evaluation.Objective);
                for (int i = 1; i < _outputs; i++)
                {
                    worst[i] = Math.Max(worst[i], o.Evaluation.Constraints[i - 1]);
                }
            }
        }

        if (successes == 0)
        {
            return false;
        }

        int n = data.Count;
        var x = new double[n * _dimension];
        var y = new double[_outputs][];
        for (int k = 0; k < _outputs; k++)
        {
            y[k] = new double[n];
        }

        for (int r = 0; r < n; r++)
        {
            var o = data[r];
            o.Unit.CopyTo(x.AsSpan(r * _dimension, _dimension));
            for (int k = 0; k < _outputs; k++)
            {
                y[k][r] = !o.Evaluation.Succeeded ? worst[k] : k == 0 ? o.Evaluation.Objective : o.Evaluation.Constraints[k - 1];
            }
        }

        bool refit = _models.Length == 0 || (totalSeen - _lastFitCount) >= Math.Max(1, _lastFitCount / 10);

        // Between refits, data that only grew at the end extends the factors in O(n^2) per point.
        bool extend = !refit && n >= TrainingCount && x.AsSpan(0, TrainingCount * _dimension).SequenceEqual(_x);
        // The outputs' processes are independent, so fitting them in parallel changes no result, only the wall time.
        var models = new GaussianProcess[_outputs];
        var previous = _models;
        Parallel.For(0, _outputs, k =>
        {
            if (refit || _hyper[k] is null)
            {
                models[k] = GaussianProcess.Fit(x, _dimension, y[k], _hyper[k], _options);
                _hyper[k] = models[k].Hyperparameters;
            }
            else if (extend)
            {
                models[k] = previous[k].Update(x, y[k]);
            }
            else
            {
                models[k] = GaussianProcess.Condition(x, _dimension, y[k], _hyper[k]!);
            }
        });

        _x = x;

        if (refit)
        {
            _lastFitCount = totalSeen;
        }

        _models = models;
        TrainingCount = n;
        _work = new double[GaussianProcess.BatchBlock * n];
        return true;
    }

    /// <summary>
    /// <see cref="Predict"/> for many points at once, bit for bit the same; the means and standard deviations of point
    /// p are at <c>[p * outputs + k]</c>. Not thread-safe.
    /// </summary>
    public void PredictBatch(IReadOnlyList<double[]> points, Span<double> mean, Span<double> sd)
    {
        int count = points.Count;
        var flat = new double[count * _dimension];
        for (int p = 0; p < count; p++)
        {
            points[p].CopyTo(flat, p * _dimension);
        }

        var outputMean = new double[count];
        var outputVariance = new double[count];
        for (int k = 0; k < _outputs; k++)
        {
            _models[k].PredictBatch(flat, count, _work, outputMean, outputVariance);
            for (int p = 0; p < count; p++)
            {
                mean[(p * _outputs) + k] = outputMean[p];
                sd[(p * _outputs) + k] = Math.Sqrt(outputVariance[p]);
            }
        }
    }

    /// <summary>Posterior means and standard deviations of all outputs (index 0 = objective). Not thread-safe.</summary>
    public void Predict(ReadOnlySpan<double> x, Span<double> mean, Span<double> sd)
    {
        for (int k = 0; k < _outputs; k++)
        {
            _models[k].Predict(x, _work, out double m, out double v);
            mean[k] = m;
            sd[k] = Math.Sqrt(v);
        }
    }
}

using System.Numerics;
using DnnOpt.Neural.Data;
using DnnOpt.Neural.Losses;

namespace DnnOpt.Neural.Training;

/// <summary>
/// Minibatch regression training of an <see cref="Mlp{T}"/> with weighted MSE and Adam: seeded shuffling, optional
/// gradient clipping, early stopping on a validation set (or the training loss without one) with the best parameters
/// restored, and a guard that refuses any non-finite loss or gradient before it reaches the weights.
/// </summary>
/// <remarks>All buffers are allocated when the trainer is created or at the start of <see cref="Fit"/>; a step allocates nothing.</remarks>
public sealed class MlpTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Mlp<T> _network;
    private readonly MlpWorkspace<T> _workspace;
    private readonly Adam<T> _adam;
    private readonly T[] _gradient;
    private readonly T[] _best;
    private readonly T[] _batchInputs;
    private readonly T[] _batchTargets;
    private readonly T[] _outputGradient;
    private readonly T[] _weights;
    private readonly int[] _batchIndices;

    /// <summary>Creates a trainer for <paramref name="network"/> (trained in place).</summary>
    /// <exception cref="ArgumentException">The options are invalid or the output weights do not match the network.</exception>
    public MlpTrainer(Mlp<T> network, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.OutputWeights.Count != 0 && options.OutputWeights.Count != network.OutputSize)
        {
            throw new ArgumentException(
                $"Expected {network.OutputSize} output weights, got {options.OutputWeights.Count}.", nameof(options));
        }

        _network = network;
        Options = options;
        _workspace = new MlpWorkspace<T>(network, options.BatchSize);
        _adam = new Adam<T>(network.ParameterCount, options.Adam);
        _gradient = new T[network.ParameterCount];
        _best = new T[network.ParameterCount];
        _batchInputs = new T[options.BatchSize * network.InputSize];
        _batchTargets = new T[options.BatchSize * network.OutputSize];
        _outputGradient = new T[options.BatchSize * network.OutputSize];
        _weights = options.OutputWeights.Select(T.CreateChecked).ToArray();
        _batchIndices = new int[options.BatchSize];
    }

    /// <summary>The settings in use.</summary>
    public TrainerOptions Options { get; }

    /// <summary>
    /// Trains on <paramref name="train"/>, monitoring <paramref name="validation"/> (or the training loss when null) for
    /// early stopping. Adam's moments are reset at the start, so each call is an independent run from the current
    /// parameters.
    /// </summary>
    /// <exception cref="ArgumentException">The data widths do not match the network, or the training set is empty.</exception>
    public TrainingResult Fit(ITrainingData<T> train, ITrainingData<T>? validation, Random random)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(random);
        CheckData(train, nameof(train));
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(train));
        }

        if (validation is not null)
        {
            CheckData(validation, nameof(validation));
        }

        bool monitorValidation = validation is { Count: > 0 };
        _adam.Reset();
        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        _network.Parameters.CopyTo(_best);
        double bestMonitored = double.PositiveInfinity;
        double bestTraining = double.NaN;
        double bestValidation = double.NaN;
        int bestEpoch = 0;
        int sinceImprovement = 0;
        int steps = 0;
        int batches = (train.Count + Options.BatchSize - 1) / Options.BatchSize;
        if (Options.MaxStepsPerEpoch > 0)
        {
            batches = Math.Min(batches, Options.MaxStepsPerEpoch);
        }

        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            int rows = 0;
            for (int b = 0; b < batches; b++)
            {
                int start = b * Options.BatchSize;
                int count = Math.Min(Options.BatchSize, train.Count - start);
                double loss = Step(train, order.AsSpan(start, count));
                if (double.IsNaN(loss))
                {
                    _best.CopyTo(_network.Parameters);
                    return new TrainingResult(TrainingStop.NotFinite, epoch, steps, bestEpoch, bestTraining, bestValidation);
                }

                steps++;
                lossSum += loss * count;
                rows += count;
            }

            double trainingLoss = lossSum / rows;
            double validationLoss = monitorValidation ? Evaluate(validation!) : double.NaN;
            double monitored = monitorValidation ? validationLoss : trainingLoss;
            if (!double.IsFinite(monitored))
            {
                _best.CopyTo(_network.Parameters);
                return new TrainingResult(TrainingStop.NotFinite, epoch, steps, bestEpoch, bestTraining, bestValidation);
            }

            if (monitored < bestMonitored * (1 - Options.MinRelativeImprovement) || bestEpoch == 0)
            {
                bestMonitored = monitored;
                bestTraining = trainingLoss;
                bestValidation = validationLoss;
                bestEpoch = epoch;
                sinceImprovement = 0;
                _network.Parameters.CopyTo(_best);
            }
            else if (Options.Patience > 0 && ++sinceImprovement >= Options.Patience)
            {
                _best.CopyTo(_network.Parameters);
                return new TrainingResult(TrainingStop.EarlyStopped, epoch, steps, bestEpoch, bestTraining, bestValidation);
            }
        }

        _best.CopyTo(_network.Parameters);
        return new TrainingResult(TrainingStop.Completed, Options.Epochs, steps, bestEpoch, bestTraining, bestValidation);
    }

    /// <summary>Mean weighted MSE of the network over every row of <paramref name="data"/> (NaN for an empty set).</summary>
    public double Evaluate(ITrainingData<T> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data, nameof(data));
        if (data.Count == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int start = 0; start < data.Count; start += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, data.Count - start);
            Span<int> indices = _batchIndices.AsSpan(0, count);
            for (int i = 0; i < count; i++)
            {
                indices[i] = start + i;
            }

            ReadOnlySpan<T> predictions = Gather(data, indices);
            sum += count * WeightedMse.Evaluate<T>(
                predictions, _batchTargets.AsSpan(0, count * _network.OutputSize), _weights, _network.OutputSize, []);
        }

        return sum / data.Count;
    }

    /// <summary>One Adam step on the given rows; returns the loss, or NaN when the step was refused as non-finite.</summary>
    private double Step(ITrainingData<T> data, ReadOnlySpan<int> rows)
    {
        int count = rows.Length;
        rows.CopyTo(_batchIndices);
        ReadOnlySpan<T> predictions = Gather(data, _batchIndices.AsSpan(0, count));
        Span<T> outputGradient = _outputGradient.AsSpan(0, count * _network.OutputSize);
        double loss = WeightedMse.Evaluate<T>(
            predictions, _batchTargets.AsSpan(0, count * _network.OutputSize), _weights, _network.OutputSize, outputGradient);
        if (!double.IsFinite(loss))
        {
            return double.NaN;
        }

        _network.Backward(_workspace, outputGradient, _gradient, []);
        double norm = GradientClipping.ClipByGlobalNorm<T>(_gradient, Options.ClipNorm);
        if (!double.IsFinite(norm))
        {
            return double.NaN;
        }

        _adam.Step(_network.Parameters, _gradient);
        return loss;
    }

    private ReadOnlySpan<T> Gather(ITrainingData<T> data, ReadOnlySpan<int> indices)
    {
        int count = indices.Length;
        Span<T> inputs = _batchInputs.AsSpan(0, count * _network.InputSize);
        data.Gather(indices, inputs, _batchTargets.AsSpan(0, count * _network.OutputSize));
        return _network.Forward(_workspace, inputs, count);
    }

    private void CheckData(ITrainingData<T> data, string name)
    {
        if (data.InputSize != _network.InputSize || data.TargetSize != _network.OutputSize)
        {
            throw new ArgumentException(
                $"The data has {data.InputSize} inputs and {data.TargetSize} targets per row; the network takes {_network.InputSize} and gives {_network.OutputSize}.",
                name);
        }
    }
}

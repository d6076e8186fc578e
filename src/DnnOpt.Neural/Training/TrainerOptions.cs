namespace DnnOpt.Neural.Training;

/// <summary>Settings of <see cref="MlpTrainer{T}"/>.</summary>
public sealed record TrainerOptions
{
    /// <summary>Maximum number of epochs; default 200.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Rows per minibatch; default 64. The last minibatch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Caps the minibatches per epoch (0 = a full pass). Useful for very large synthesised sets such as N² pseudo-samples:
    /// an "epoch" then is this many minibatches drawn from a fresh shuffle.
    /// </summary>
    public int MaxStepsPerEpoch { get; init; }

    /// <summary>Adam settings.</summary>
    public AdamOptions Adam { get; init; } = new();

    /// <summary>Global gradient-norm bound per step (0 = no clipping).</summary>
    public double ClipNorm { get; init; }

    /// <summary>Stop after this many epochs without improvement of the monitored loss (0 = never stop early).</summary>
    public int Patience { get; init; } = 20;

    /// <summary>Relative improvement that counts as progress for early stopping; default 1e-4.</summary>
    public double MinRelativeImprovement { get; init; } = 1e-4;

    /// <summary>Per-output loss weights (empty = all ones).</summary>
    public IReadOnlyList<double> OutputWeights { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for settings outside their valid ranges.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxStepsPerEpoch);
        ArgumentOutOfRangeException.ThrowIfNegative(Patience);
        ArgumentNullException.ThrowIfNull(Adam);
        ArgumentNullException.ThrowIfNull(OutputWeights);
        Adam.Validate();
        if (!(ClipNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(ClipNorm), ClipNorm, "Must be non-negative.");
        }

        if (!(MinRelativeImprovement >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRelativeImprovement), MinRelativeImprovement, "Must be non-negative.");
        }

        foreach (double w in OutputWeights)
        {
            if (!(w >= 0) || !double.IsFinite(w))
            {
                throw new ArgumentOutOfRangeException(nameof(OutputWeights), w, "Output weights must be non-negative and finite.");
            }
        }
    }
}

/// <summary>Why a training run stopped.</summary>
public enum TrainingStop
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>The monitored loss stopped improving for <see cref="TrainerOptions.Patience"/> epochs.</summary>
    EarlyStopped,

    /// <summary>
    /// A loss or gradient became NaN or infinite. The offending step was not applied and the parameters were restored to
    /// the best epoch seen (or the initial ones); re-initialise or lower the learning rate.
    /// </summary>
    NotFinite,
}

/// <summary>Outcome of <see cref="MlpTrainer{T}.Fit"/>.</summary>
/// <param name="Stop">Why training ended.</param>
/// <param name="Epochs">Epochs run (the last possibly partial when <see cref="TrainingStop.NotFinite"/>).</param>
/// <param name="Steps">Optimiser steps applied.</param>
/// <param name="BestEpoch">Epoch (1-based) whose parameters the network holds; 0 for the initial ones.</param>
/// <param name="TrainingLoss">Mean minibatch loss of the best epoch.</param>
/// <param name="ValidationLoss">Validation loss of the best epoch (NaN without validation data).</param>
public readonly record struct TrainingResult(
    TrainingStop Stop, int Epochs, int Steps, int BestEpoch, double TrainingLoss, double ValidationLoss);

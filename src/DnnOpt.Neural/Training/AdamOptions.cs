namespace DnnOpt.Neural.Training;

/// <summary>Settings of the Adam optimiser (Kingma and Ba, 2015), with optional decoupled weight decay (AdamW).</summary>
/// <param name="LearningRate">Step size α; default 1e-3.</param>
/// <param name="Beta1">Decay of the first-moment estimate; default 0.9.</param>
/// <param name="Beta2">Decay of the second-moment estimate; default 0.999.</param>
/// <param name="Epsilon">Added to √v̂ to bound the step; default 1e-8.</param>
/// <param name="WeightDecay">
/// Decoupled decay λ (Loshchilov and Hutter, 2019): each step also subtracts α·λ·θ. Default 0 (plain Adam).
/// </param>
public sealed record AdamOptions(
    double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for settings outside their valid ranges.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        }

        if (!(Beta1 >= 0 && Beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must be in [0, 1).");
        }

        if (!(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must be in [0, 1).");
        }

        if (!(Epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "Epsilon must be positive.");
        }

        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be non-negative and finite.");
        }
    }
}

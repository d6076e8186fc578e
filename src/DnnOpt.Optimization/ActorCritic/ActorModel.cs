using DnnOpt.Neural;
using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Training;

namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// DNN-Opt's actor μ(x) → Δx (tanh output, so a step stays within the unit cube's diameter), trained through the
/// frozen critic on the elite designs with loss eq. 5: mean g[Q(x, μ(x))] + ‖λ·viol‖², viol from eq. 6.
/// </summary>
internal sealed class ActorModel
{
    private const double ClipNorm = 10;

    private readonly int _dimension;
    private readonly DnnOptOptions _options;
    private readonly float[] _gradient;
    private Adam<float> _adam;

    public ActorModel(int dimension, DnnOptOptions options, int maxBatch, Random random)
    {
        _dimension = dimension;
        _options = options;
        int[] sizes = [dimension, .. options.ActorHidden, dimension];
        Network = Mlp.Create<float>(sizes, Activation.Relu, Activation.Tanh, random);
        MaxBatch = maxBatch;
        Workspace = new MlpWorkspace<float>(Network, maxBatch);
        _adam = new Adam<float>(Network.ParameterCount, new AdamOptions(options.LearningRate));
        _gradient = new float[Network.ParameterCount];
    }

    public Mlp<float> Network { get; }

    public MlpWorkspace<float> Workspace { get; }

    public int MaxBatch { get; }

    public void Reinitialize(Random random)
    {
        Network.Initialize(random);
        _adam = new Adam<float>(Network.ParameterCount, new AdamOptions(_options.LearningRate));
    }

    /// <summary>
    /// Trains on <paramref name="rows"/> elite designs <paramref name="elites"/> (rows × d) through
    /// <paramref name="critic"/>, whose weights are not changed. Returns the loss of the last step (NaN if a step was
    /// non-finite; training stops there and the weights keep their last finite values).
    /// </summary>
    public double Train(ReadOnlySpan<float> elites, int rows, CriticModel critic, EliteSet box, bool creditOnlyWhenMet)
    {
        int d = _dimension;
        int w = critic.Network.OutputSize;
        float[] delta = new float[rows * d];
        float[] criticInput = new float[rows * 2 * d];
        float[] criticOutput = new float[rows * w];
        float[] outputGradient = new float[rows * w];
        float[] inputGradient = new float[rows * 2 * d];
        float[] deltaGradient = new float[rows * d];
        float lambdaSquared = (float)(_options.PenaltyLambda * _options.PenaltyLambda);
        float perRow = 1f / rows;
        double loss = double.NaN;
        for (int step = 0; step < _options.ActorSteps; step++)
        {
            Network.Forward(Workspace, elites, rows).CopyTo(delta);
            for (int r = 0; r < rows; r++)
            {
                CriticModel.EncodeStep(elites.Slice(r * d, d), delta.AsSpan(r * d, d), criticInput.AsSpan(r * 2 * d, 2 * d));
            }

            critic.Network.Forward(critic.Workspace, criticInput, rows).CopyTo(criticOutput);
            loss = FomGradient.Evaluate(criticOutput, rows, critic.Mean, critic.Scale, perRow, _options.ViolationTail, creditOnlyWhenMet, [], outputGradient) * perRow;
            critic.Network.Backward(critic.Workspace, outputGradient, [], inputGradient);
            for (int r = 0; r < rows; r++)
            {
                for (int k = 0; k < d; k++)
                {
                    int i = (r * d) + k;
                    double viol = box.CoordinateViolation(k, elites[i] + delta[i], out float sign);
                    loss += lambdaSquared * viol * viol * perRow;
                    deltaGradient[i] = inputGradient[(r * 2 * d) + d + k] + (2 * lambdaSquared * (float)viol * sign * perRow);
                }
            }

            Network.Backward(Workspace, deltaGradient, _gradient, []);
            double norm = GradientClipping.ClipByGlobalNorm<float>(_gradient, ClipNorm);
            if (!double.IsFinite(loss) || !double.IsFinite(norm))
            {
                return double.NaN;
            }

            _adam.Step(Network.Parameters, _gradient);
        }

        return loss;
    }
}

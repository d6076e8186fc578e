using DnnOpt.Neural;
using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Data;
using DnnOpt.Neural.Losses;
using DnnOpt.Neural.Training;

namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// DNN-Opt's critic Q(x, Δx) → (f0, f1..fm), trained on pseudo-samples (paper eq. 2): the pair (x_i, x_j) gives the
/// input [x_i, x_j − x_i] and the target f(x_j). Pairs are drawn afresh for every minibatch, so the N² pseudo-samples
/// are never materialised. Targets are the normalised outputs (y0, ci·fi; see DnnOptimizer), compressed by a signed logarithm
/// (<see cref="Compress"/>) and standardised per column.
/// </summary>
/// <remarks>
/// Why compress: circuit outputs are heavy-tailed (a spec missed by a thousand times its scale next to one missed by a
/// few percent). Standardising raw values spends the network's resolution on the tails, while the FoM (eq. 4) only
/// distinguishes constraint values between 0 and 1 and the objective's ordering. The signed log is monotone and
/// near-linear around 0, so it keeps exactly the information the FoM uses.
/// </remarks>
internal sealed class CriticModel
{
    private const double ClipNorm = 10;

    private readonly int _dimension;
    private readonly int _width;
    private readonly DnnOptOptions _options;
    private readonly float[] _gradient;
    private readonly float[] _inputs;
    private readonly float[] _targets;
    private readonly float[] _outputGradient;
    private readonly float[] _mean;
    private readonly float[] _scale;
    private Adam<float> _adam;

    public CriticModel(int dimension, int outputs, DnnOptOptions options, int maxBatch, Random random)
    {
        _dimension = dimension;
        _width = outputs;
        _options = options;
        int[] sizes = [2 * dimension, .. options.CriticHidden, outputs];
        Network = Mlp.Create<float>(sizes, Activation.Relu, Activation.Identity, random);
        MaxBatch = Math.Max(maxBatch, options.CriticBatch);
        Workspace = new MlpWorkspace<float>(Network, MaxBatch);
        _adam = new Adam<float>(Network.ParameterCount, new AdamOptions(options.LearningRate));
        _gradient = new float[Network.ParameterCount];
        _inputs = new float[options.CriticBatch * 2 * dimension];
        _targets = new float[options.CriticBatch * outputs];
        _outputGradient = new float[options.CriticBatch * outputs];
        _mean = new float[outputs];
        _scale = new float[outputs];
    }

    public Mlp<float> Network { get; }

    public MlpWorkspace<float> Workspace { get; }

    public int MaxBatch { get; }

    /// <summary>Per-output mean of the standardisation (network output q maps to y = q·scale + mean).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>Per-output scale of the standardisation.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>Re-draws the weights and forgets the optimiser state (Algorithm 1, line 3).</summary>
    public void Reinitialize(Random random)
    {
        Network.Initialize(random);
        _adam = new Adam<float>(Network.ParameterCount, new AdamOptions(_options.LearningRate));
    }

    /// <summary>
    /// Trains on the pseudo-samples of <paramref name="designs"/> (n × d unit coordinates) and
    /// <paramref name="outputs"/> (n × (m+1) normalised outputs). Returns the mean loss of the last tenth of the steps
    /// (standardised units), or NaN when the network had to be re-initialised for a non-finite loss too often.
    /// </summary>
    public double Train(ReadOnlySpan<float> designs, ReadOnlySpan<float> outputs, int n, Random random)
    {
        float[] compressed = new float[n * _width];
        for (int i = 0; i < compressed.Length; i++)
        {
            compressed[i] = Compress(outputs[i]);
        }

        outputs = compressed;
        Standardizer scaler = Standardizer.Fit<float>(outputs, _width);
        for (int l = 0; l < _width; l++)
        {
            _mean[l] = (float)scaler.Mean[l];
            _scale[l] = (float)scaler.Scale[l];
        }

        int d = _dimension;
        int batch = _options.CriticBatch;
        int steps = _options.CriticSteps;
        int tail = Math.Max(1, steps / 10);
        double tailLoss = 0;
        int restarts = 0;
        for (int step = 0; step < steps; step++)
        {
            for (int r = 0; r < batch; r++)
            {
                int i = random.Next(n);
                int j = random.Next(n);
                EncodePair(designs.Slice(i * d, d), designs.Slice(j * d, d), _inputs.AsSpan(r * 2 * d, 2 * d));
                ReadOnlySpan<float> y = outputs.Slice(j * _width, _width);
                Span<float> t = _targets.AsSpan(r * _width, _width);
                for (int l = 0; l < _width; l++)
                {
                    t[l] = (y[l] - _mean[l]) / _scale[l];
                }
            }

            ReadOnlySpan<float> q = Network.Forward(Workspace, _inputs, batch);
            double loss = WeightedMse.Evaluate<float>(q, _targets, [], _width, _outputGradient);
            Network.Backward(Workspace, _outputGradient, _gradient, []);
            double norm = GradientClipping.ClipByGlobalNorm<float>(_gradient, ClipNorm);
            if (!double.IsFinite(loss) || !double.IsFinite(norm))
            {
                // Never let a non-finite step reach the weights; start the network afresh a bounded number of times.
                if (++restarts > 3)
                {
                    return double.NaN;
                }

                Reinitialize(random);
                continue;
            }

            _adam.Step(Network.Parameters, _gradient);
            if (step >= steps - tail)
            {
                tailLoss += loss / tail;
            }
        }

        return tailLoss;
    }

    /// <summary>The target transform t = sign(y)·ln(1 + |y|).</summary>
    public static float Compress(float y) => MathF.CopySign(MathF.Log(1 + MathF.Abs(y)), y);

    /// <summary>The inverse of <see cref="Compress"/>, y = sign(t)·(e^|t| − 1), and its derivative dy/dt = e^|t|.</summary>
    public static double Expand(double t, out double derivative)
    {
        double e = Math.Exp(Math.Min(Math.Abs(t), 700));
        derivative = e;
        return Math.CopySign(e - 1, t);
    }

    /// <summary>Writes the critic input [2x − 1, x' − x] for a design x and a moved design x'.</summary>
    public static void EncodePair(ReadOnlySpan<float> from, ReadOnlySpan<float> to, Span<float> destination)
    {
        int d = from.Length;
        for (int k = 0; k < d; k++)
        {
            // Centring x on 0 matches the scale of Δx ∈ [−1, 1] without a fitted input standardiser.
            destination[k] = (2 * from[k]) - 1;
            destination[d + k] = to[k] - from[k];
        }
    }

    /// <summary>Encodes a design x and a step Δx (not a moved design).</summary>
    public static void EncodeStep(ReadOnlySpan<float> x, ReadOnlySpan<float> delta, Span<float> destination)
    {
        int d = x.Length;
        for (int k = 0; k < d; k++)
        {
            destination[k] = (2 * x[k]) - 1;
            destination[d + k] = delta[k];
        }
    }
}

using System.Numerics;

namespace DnnOpt.Neural.Training;

/// <summary>
/// The Adam update with bias correction (Kingma and Ba, 2015, Algorithm 1):
/// <c>m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − α·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε) − α·λ·θ</c>.
/// Moment vectors are allocated once; a step allocates nothing.
/// </summary>
public sealed class Adam<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _m;
    private readonly T[] _v;

    /// <summary>Creates an optimiser for a parameter vector of <paramref name="parameterCount"/> entries.</summary>
    public Adam(int parameterCount, AdamOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameterCount);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _m = new T[parameterCount];
        _v = new T[parameterCount];
    }

    /// <summary>The settings in use.</summary>
    public AdamOptions Options { get; }

    /// <summary>Number of steps taken since creation or <see cref="Reset"/> (t in the update).</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ from the size given at construction.</exception>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (parameters.Length != _m.Length || gradients.Length != _m.Length)
        {
            throw new ArgumentException(
                $"Expected {_m.Length} parameters and gradients, got {parameters.Length} and {gradients.Length}.", nameof(gradients));
        }

        StepCount++;
        T beta1 = T.CreateChecked(Options.Beta1);
        T beta2 = T.CreateChecked(Options.Beta2);
        T oneMinusBeta1 = T.One - beta1;
        T oneMinusBeta2 = T.One - beta2;
        // Bias corrections folded into the step size and epsilon, computed in double so long runs keep precision.
        double correction1 = 1.0 - Math.Pow(Options.Beta1, StepCount);
        double correction2 = 1.0 - Math.Pow(Options.Beta2, StepCount);
        T stepSize = T.CreateChecked(Options.LearningRate / correction1);
        T inverseSqrtCorrection2 = T.CreateChecked(1.0 / Math.Sqrt(correction2));
        T epsilon = T.CreateChecked(Options.Epsilon);
        T decay = T.CreateChecked(Options.LearningRate * Options.WeightDecay);
        bool decays = Options.WeightDecay > 0;
        Span<T> m = _m;
        Span<T> v = _v;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var b1 = new Vector<T>(beta1);
            var b2 = new Vector<T>(beta2);
            var c1 = new Vector<T>(oneMinusBeta1);
            var c2 = new Vector<T>(oneMinusBeta2);
            var step = new Vector<T>(stepSize);
            var root = new Vector<T>(inverseSqrtCorrection2);
            var eps = new Vector<T>(epsilon);
            var keep = new Vector<T>(T.One - decay);
            for (; i + Vector<T>.Count <= parameters.Length; i += Vector<T>.Count)
            {
                var g = new Vector<T>(gradients[i..]);
                Vector<T> mi = (b1 * new Vector<T>(m[i..])) + (c1 * g);
                Vector<T> vi = (b2 * new Vector<T>(v[i..])) + (c2 * g * g);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                Vector<T> theta = new Vector<T>(parameters[i..]);
                Vector<T> update = step * mi / ((Vector.SquareRoot(vi) * root) + eps);
                ((decays ? theta * keep : theta) - update).CopyTo(parameters[i..]);
            }
        }

        for (; i < parameters.Length; i++)
        {
            T g = gradients[i];
            T mi = (beta1 * m[i]) + (oneMinusBeta1 * g);
            T vi = (beta2 * v[i]) + (oneMinusBeta2 * g * g);
            m[i] = mi;
            v[i] = vi;
            T theta = parameters[i];
            T update = stepSize * mi / ((T.Sqrt(vi) * inverseSqrtCorrection2) + epsilon);
            parameters[i] = (decays ? theta * (T.One - decay) : theta) - update;
        }
    }

    /// <summary>Forgets the moments and the step count (for a re-initialised network).</summary>
    public void Reset()
    {
        Array.Clear(_m);
        Array.Clear(_v);
        StepCount = 0;
    }
}

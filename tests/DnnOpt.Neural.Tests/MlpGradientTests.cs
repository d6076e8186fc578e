using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Losses;

namespace DnnOpt.Neural.Tests;

/// <summary>Back-propagation against central finite differences, per activation, w.r.t. every weight, bias and input.</summary>
public sealed class MlpGradientTests
{
    private static readonly int[] Shape = [5, 7, 6, 3];
    private const int Batch = 4;

    public static TheoryData<Activation, Activation> Pairs => new()
    {
        { Activation.Tanh, Activation.Identity },
        { Activation.Relu, Activation.Identity },
        { Activation.Sigmoid, Activation.Tanh },
        { Activation.Silu, Activation.Sigmoid },
        { Activation.Identity, Activation.Relu },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Double_gradients_match_finite_differences(Activation hidden, Activation output)
    {
        var rng = new Random(11);
        Mlp<double> net = Mlp.Create<double>(Shape, hidden, output, rng);
        // Shift biases so no ReLU unit sits at its kink and the output ReLU is active for some rows.
        foreach (int l in Enumerable.Range(0, net.LayerCount))
        {
            Span<double> b = net.Biases(l);
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = 0.3 * (rng.NextDouble() - 0.3);
            }
        }

        double[] x = Random(rng, Batch * Shape[0], 1.0);
        double[] t = Random(rng, Batch * Shape[^1], 1.0);
        double[] w = [1.0, 0.5, 2.0];
        var ws = new MlpWorkspace<double>(net, Batch);

        double Loss() => WeightedMse.Evaluate<double>(net.Forward(ws, x, Batch), t, w, Shape[^1], []);

        double[] dy = new double[Batch * Shape[^1]];
        WeightedMse.Evaluate<double>(net.Forward(ws, x, Batch), t, w, Shape[^1], dy);
        double[] gradient = new double[net.ParameterCount];
        double[] inputGradient = new double[x.Length];
        net.Backward(ws, dy, gradient, inputGradient);

        const double h = 1e-6;
        for (int i = 0; i < net.ParameterCount; i++)
        {
            Tolerance.Close(CentralDifference(net.Parameters, i, h, Loss), gradient[i], 1e-5, 1e-9, $"dL/dθ[{i}]");
        }

        for (int i = 0; i < x.Length; i++)
        {
            Tolerance.Close(CentralDifference(x, i, h, Loss), inputGradient[i], 1e-5, 1e-9, $"dL/dx[{i}]");
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Float_gradients_match_the_double_path_and_finite_differences(Activation hidden, Activation output)
    {
        var rng = new Random(5);
        Mlp<double> reference = Mlp.Create<double>(Shape, hidden, output, rng);
        for (int l = 0; l < reference.LayerCount; l++)
        {
            Span<double> b = reference.Biases(l);
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = 0.3 * (rng.NextDouble() - 0.3);
            }
        }

        var net = new Mlp<float>(Shape, reference.Activations);
        for (int i = 0; i < net.ParameterCount; i++)
        {
            net.Parameters[i] = (float)reference.Parameters[i];
            reference.Parameters[i] = net.Parameters[i];
        }

        float[] x = Random(rng, Batch * Shape[0], 1.0).Select(v => (float)v).ToArray();
        float[] t = Random(rng, Batch * Shape[^1], 1.0).Select(v => (float)v).ToArray();
        var ws = new MlpWorkspace<float>(net, Batch);
        float[] dy = new float[t.Length];
        WeightedMse.Evaluate<float>(net.Forward(ws, x, Batch), t, [], Shape[^1], dy);
        float[] gradient = new float[net.ParameterCount];
        net.Backward(ws, dy, gradient, []);

        var wsd = new MlpWorkspace<double>(reference, Batch);
        double[] xd = x.Select(v => (double)v).ToArray();
        double[] td = t.Select(v => (double)v).ToArray();
        double[] dyd = new double[td.Length];
        WeightedMse.Evaluate<double>(reference.Forward(wsd, xd, Batch), td, [], Shape[^1], dyd);
        double[] gradientD = new double[reference.ParameterCount];
        reference.Backward(wsd, dyd, gradientD, []);
        double scale = gradientD.Max(Math.Abs);
        for (int i = 0; i < gradient.Length; i++)
        {
            Tolerance.Close(gradientD[i], gradient[i], 1e-4, 1e-6 * scale, $"float vs double dL/dθ[{i}]");
        }

        // Finite differences in float itself: a larger step, since float rounding dominates small ones.
        const float h = 3e-3f;
        float Loss() => (float)WeightedMse.Evaluate<float>(net.Forward(ws, x, Batch), t, [], Shape[^1], []);
        for (int i = 0; i < net.ParameterCount; i++)
        {
            float saved = net.Parameters[i];
            net.Parameters[i] = saved + h;
            float up = Loss();
            net.Parameters[i] = saved - h;
            float down = Loss();
            net.Parameters[i] = saved;
            Tolerance.Close((up - down) / (2 * h), gradient[i], 2e-2, 2e-3 * scale, $"FD dL/dθ[{i}]");
        }
    }

    [Fact]
    public void Actor_trained_through_a_frozen_critic_gets_the_chain_rule_gradient()
    {
        // DNN-Opt's actor loss (paper eq. 5) in miniature: L = mean_k g(Q(x_k, μ(x_k))) + ‖λ·viol_k‖², with a
        // smooth stand-in for g so the finite differences are clean.
        const int d = 3, batch = 5;
        var rng = new Random(21);
        Mlp<double> actor = Mlp.Create<double>([d, 8, d], Activation.Tanh, Activation.Tanh, rng);
        Mlp<double> critic = Mlp.Create<double>([2 * d, 9, 2], Activation.Silu, Activation.Identity, rng);
        double[] criticBefore = critic.Parameters.ToArray();
        double[] x = Random(rng, batch * d, 1.0);
        double[] lb = [-0.2, -0.1, -0.3];
        double[] ub = [0.2, 0.1, 0.05];
        const double lambda = 3.0;
        var wsA = new MlpWorkspace<double>(actor, batch);
        var wsC = new MlpWorkspace<double>(critic, batch);
        double[] criticInput = new double[batch * 2 * d];

        double Loss(double[]? actorGradient)
        {
            ReadOnlySpan<double> delta = actor.Forward(wsA, x, batch);
            double[] deltaCopy = delta.ToArray();
            for (int k = 0; k < batch; k++)
            {
                x.AsSpan(k * d, d).CopyTo(criticInput.AsSpan(k * 2 * d, d));
                deltaCopy.AsSpan(k * d, d).CopyTo(criticInput.AsSpan((k * 2 * d) + d, d));
            }

            ReadOnlySpan<double> q = critic.Forward(wsC, criticInput, batch);
            double loss = 0;
            double[] dq = new double[batch * 2];
            double[] dDelta = new double[batch * d];
            for (int k = 0; k < batch; k++)
            {
                double q0 = q[2 * k], q1 = q[(2 * k) + 1];
                loss += (q0 + (0.5 * q1 * q1)) / batch;
                dq[2 * k] = 1.0 / batch;
                dq[(2 * k) + 1] = q1 / batch;
                for (int i = 0; i < d; i++)
                {
                    double moved = x[(k * d) + i] + deltaCopy[(k * d) + i];
                    double viol = Math.Max(0, lb[i] - moved) + Math.Max(0, moved - ub[i]);
                    loss += lambda * lambda * viol * viol / batch;
                    double dviol = moved < lb[i] ? -1 : moved > ub[i] ? 1 : 0;
                    dDelta[(k * d) + i] = 2 * lambda * lambda * viol * dviol / batch;
                }
            }

            if (actorGradient is not null)
            {
                double[] dInput = new double[criticInput.Length];
                critic.Backward(wsC, dq, [], dInput);
                for (int k = 0; k < batch; k++)
                {
                    for (int i = 0; i < d; i++)
                    {
                        dDelta[(k * d) + i] += dInput[(k * 2 * d) + d + i];
                    }
                }

                actor.Backward(wsA, dDelta, actorGradient, []);
            }

            return loss;
        }

        double[] analytic = new double[actor.ParameterCount];
        Loss(analytic);
        const double h = 1e-6;
        for (int i = 0; i < actor.ParameterCount; i++)
        {
            Tolerance.Close(CentralDifference(actor.Parameters, i, h, () => Loss(null)), analytic[i], 1e-5, 1e-9, $"dL/dθμ[{i}]");
        }

        Assert.Equal(criticBefore, critic.Parameters.ToArray());
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-3);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected_at_the_entry_point()
    {
        Mlp<float> net = Mlp.Create<float>([4, 6, 2], Activation.Relu, Activation.Identity, new Random(1));
        var ws = new MlpWorkspace<float>(net, 8);
        Assert.Throws<ArgumentException>(() => net.Forward(ws, new float[(4 * 3) - 1], 3).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Forward(ws, new float[4 * 9], 9).ToArray());
        Assert.Throws<ArgumentException>(() => net.Backward(ws, new float[2], [], []));
        net.Forward(ws, new float[4 * 3], 3);
        Assert.Throws<ArgumentException>(() => net.Backward(ws, new float[5], [], []));
        Assert.Throws<ArgumentException>(() => net.Backward(ws, new float[6], new float[3], []));
        Assert.Throws<ArgumentException>(() => net.Backward(ws, new float[6], [], new float[11]));
        Mlp<float> other = Mlp.Create<float>([4, 5, 2], Activation.Relu, Activation.Identity, new Random(1));
        Assert.Throws<ArgumentException>(() => other.Forward(ws, new float[4], 1).ToArray());
        Assert.Throws<ArgumentException>(() => new Mlp<float>([4], []));
        Assert.Throws<ArgumentException>(() => new Mlp<float>([4, 0, 2], [Activation.Relu, Activation.Relu]));
        Assert.Throws<ArgumentException>(() => new Mlp<float>([4, 2], [Activation.Relu, Activation.Relu]));
        Assert.Throws<ArgumentException>(() => new Mlp<float>([4, 2], [(Activation)42]));
    }

    [Fact]
    public void Initialisation_has_the_published_spread()
    {
        Mlp<double> he = Mlp.Create<double>([400, 300, 1], Activation.Relu, Activation.Identity, new Random(2));
        double[] w = he.Weights(0).ToArray();
        double variance = w.Select(v => v * v).Average();
        Tolerance.Close(2.0 / 400, variance, 0.02, 0, "He variance");
        Mlp<double> xavier = Mlp.Create<double>([400, 300, 1], Activation.Tanh, Activation.Identity, new Random(2));
        double limit = Math.Sqrt(6.0 / 700);
        double[] wx = xavier.Weights(0).ToArray();
        Assert.All(wx, v => Assert.InRange(v, -limit, limit));
        Tolerance.Close(limit * limit / 3, wx.Select(v => v * v).Average(), 0.02, 0, "Xavier variance");
        Assert.All(he.Biases(0).ToArray(), b => Assert.Equal(0.0, b));
    }

    /// <summary>Central difference of <paramref name="loss"/> w.r.t. <c>values[i]</c>, restoring the value afterwards.</summary>
    private static double CentralDifference(Span<double> values, int i, double h, Func<double> loss)
    {
        double saved = values[i];
        values[i] = saved + h;
        double up = loss();
        values[i] = saved - h;
        double down = loss();
        values[i] = saved;
        return (up - down) / (2 * h);
    }


    private static double[] Random(Random rng, int n, double scale)
        => Enumerable.Range(0, n).Select(_ => scale * ((2 * rng.NextDouble()) - 1)).ToArray();
}

using DnnOpt.Neural.Activations;

namespace DnnOpt.Neural.Tests.Activations;

public sealed class ActivationTests
{
    public static TheoryData<Activation> All => new()
    {
        Activation.Identity, Activation.Relu, Activation.Tanh, Activation.Sigmoid, Activation.Silu,
    };

    private static readonly double[] Points = [-6.5, -2.0, -0.7, -0.05, 0.03, 0.4, 1.3, 3.0, 9.0];

    [Theory]
    [MemberData(nameof(All))]
    public void Forward_matches_the_defining_formula(Activation kind)
    {
        double[] a = new double[Points.Length];
        ActivationDispatch.Forward<double>(kind, Points, a);
        for (int i = 0; i < Points.Length; i++)
        {
            Tolerance.Close(Formula(kind, Points[i]), a[i], 1e-14, 1e-15, $"{kind}({Points[i]})");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_matches_central_differences_in_double(Activation kind)
    {
        double[] z = Points;
        double[] a = new double[z.Length];
        double[] da = z.Select((_, i) => 0.5 + (0.25 * i)).ToArray();
        double[] dz = new double[z.Length];
        ActivationDispatch.Forward<double>(kind, z, a);
        ActivationDispatch.Backward<double>(kind, z, a, da, dz);
        const double h = 1e-6;
        for (int i = 0; i < z.Length; i++)
        {
            double fd = (Formula(kind, z[i] + h) - Formula(kind, z[i] - h)) / (2 * h);
            Tolerance.Close(da[i] * fd, dz[i], 1e-7, 1e-9, $"{kind}'({z[i]})");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Backward_matches_central_differences_in_float(Activation kind)
    {
        float[] z = Points.Select(x => (float)x).ToArray();
        float[] a = new float[z.Length];
        float[] da = Enumerable.Repeat(1f, z.Length).ToArray();
        float[] dz = new float[z.Length];
        ActivationDispatch.Forward<float>(kind, z, a);
        ActivationDispatch.Backward<float>(kind, z, a, da, dz);
        const float h = 1e-2f;
        float[] plus = z.Select(x => x + h).ToArray();
        float[] minus = z.Select(x => x - h).ToArray();
        float[] ap = new float[z.Length], am = new float[z.Length];
        ActivationDispatch.Forward<float>(kind, plus, ap);
        ActivationDispatch.Forward<float>(kind, minus, am);
        for (int i = 0; i < z.Length; i++)
        {
            Tolerance.Close((ap[i] - am[i]) / (2 * h), dz[i], 2e-3, 2e-4, $"{kind}'({z[i]})");
        }
    }

    [Fact]
    public void Backward_may_write_over_its_upstream_gradient()
    {
        double[] z = [-1, 0.5, 2];
        double[] a = new double[3];
        ActivationDispatch.Forward<double>(Activation.Tanh, z, a);
        double[] separate = new double[3];
        double[] inPlace = [1, 2, 3];
        ActivationDispatch.Backward<double>(Activation.Tanh, z, a, [1.0, 2, 3], separate);
        ActivationDispatch.Backward<double>(Activation.Tanh, z, a, inPlace, inPlace);
        Assert.Equal(separate, inPlace);
    }

    private static double Formula(Activation kind, double z) => kind switch
    {
        Activation.Identity => z,
        Activation.Relu => Math.Max(0, z),
        Activation.Tanh => Math.Tanh(z),
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Silu => z / (1 + Math.Exp(-z)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// A value with its partial derivatives with respect to the three terminal voltages of a MOSFET (gate-source,
/// drain-source, bulk-source), propagated by the chain rule (forward-mode automatic differentiation). The BSIM3
/// equations are written once on these numbers and yield the exact Jacobian (gm, gds, gmbs and the substrate-current
/// conductances) with them; a plain <c>double</c> converts implicitly to a constant.
/// </summary>
internal readonly struct Dual3
{
    /// <summary>The value.</summary>
    public readonly double V;

    /// <summary>Partial derivative with respect to Vgs.</summary>
    public readonly double G;

    /// <summary>Partial derivative with respect to Vds.</summary>
    public readonly double D;

    /// <summary>Partial derivative with respect to Vbs.</summary>
    public readonly double B;

    public Dual3(double v, double g, double d, double b)
    {
        V = v;
        G = g;
        D = d;
        B = b;
    }

    public static implicit operator Dual3(double v) => new(v, 0, 0, 0);

    public static Dual3 operator +(Dual3 a, Dual3 b) => new(a.V + b.V, a.G + b.G, a.D + b.D, a.B + b.B);

    public static Dual3 operator +(Dual3 a, double b) => new(a.V + b, a.G, a.D, a.B);

    public static Dual3 operator +(double a, Dual3 b) => new(a + b.V, b.G, b.D, b.B);

    public static Dual3 operator -(Dual3 a, Dual3 b) => new(a.V - b.V, a.G - b.G, a.D - b.D, a.B - b.B);

    public static Dual3 operator -(Dual3 a, double b) => new(a.V - b, a.G, a.D, a.B);

    public static Dual3 operator -(double a, Dual3 b) => new(a - b.V, -b.G, -b.D, -b.B);

    public static Dual3 operator -(Dual3 a) => new(-a.V, -a.G, -a.D, -a.B);

    public static Dual3 operator *(Dual3 a, Dual3 b) =>
        new(a.V * b.V, (a.G * b.V) + (a.V * b.G), (a.D * b.V) + (a.V * b.D), (a.B * b.V) + (a.V * b.B));

    public static Dual3 operator *(Dual3 a, double b) => new(a.V * b, a.G * b, a.D * b, a.B * b);

    public static Dual3 operator *(double a, Dual3 b) => new(a * b.V, a * b.G, a * b.D, a * b.B);

    public static Dual3 operator /(Dual3 a, Dual3 b)
    {
        double inv = 1 / b.V;
        double q = a.V * inv;
        return new(q, (a.G - (q * b.G)) * inv, (a.D - (q * b.D)) * inv, (a.B - (q * b.B)) * inv);
    }

    public static Dual3 operator /(Dual3 a, double b)
    {
        double inv = 1 / b;
        return new(a.V * inv, a.G * inv, a.D * inv, a.B * inv);
    }

    public static Dual3 operator /(double a, Dual3 b)
    {
        double inv = 1 / b.V;
        double q = a * inv;
        double s = -q * inv;
        return new(q, s * b.G, s * b.D, s * b.B);
    }

    /// <summary>The same derivatives scaled by <paramref name="k"/> (a derivative-only factor, value unchanged).</summary>
    public Dual3 ScaleDerivatives(double k) => new(V, G * k, D * k, B * k);

    /// <summary>The same derivatives with another value: ngspice clamps some values without touching their slopes.</summary>
    public Dual3 WithValue(double v) => new(v, G, D, B);

    /// <summary>Chain rule for f(a) given f(a.V) and f'(a.V).</summary>
    public static Dual3 Apply(Dual3 a, double f, double df) => new(f, df * a.G, df * a.D, df * a.B);

    public static Dual3 Sqrt(Dual3 a)
    {
        double s = Math.Sqrt(a.V);
        return Apply(a, s, 0.5 / s);
    }

    public static Dual3 Exp(Dual3 a)
    {
        double e = Math.Exp(a.V);
        return Apply(a, e, e);
    }

    public static Dual3 Log(Dual3 a) => Apply(a, Math.Log(a.V), 1 / a.V);
}

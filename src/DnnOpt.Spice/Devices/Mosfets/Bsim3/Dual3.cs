using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// A value with its partial derivatives with respect to the three terminal voltages of a MOSFET (gate-source,
/// drain-source, bulk-source), propagated by the chain rule (forward-mode automatic differentiation). The BSIM3
/// equations are written once on these numbers and yield the exact Jacobian (gm, gds, gmbs and the substrate-current
/// conductances) with them; a plain <c>double</c> converts implicitly to a constant.
/// </summary>
/// <remarks>
/// The four numbers live in one 256-bit vector (V, G, D, B), so an operation is a few vector instructions and, more
/// importantly, a temporary is one register-sized local: the channel evaluation has hundreds of temporaries, and as
/// four promoted doubles each they exhausted the JIT's local-variable budget, which then stopped inlining the
/// operators (hundreds of calls per evaluation). Every lane computes exactly the scalar expression it replaces (same
/// operands, same order, no fused multiply-add), so results are bit-for-bit those of the scalar formulation; lane 0
/// is always taken from the value expression (a blend), never from a derivative formula with a zero folded in.
/// </remarks>
internal readonly struct Dual3
{
    private readonly Vector256<double> _x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual3(double v, double g, double d, double b) => _x = Vector256.Create(v, g, d, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dual3(Vector256<double> x) => _x = x;

    /// <summary>The value.</summary>
    public double V
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _x.ToScalar();
    }

    /// <summary>Partial derivative with respect to Vgs.</summary>
    public double G
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _x.GetElement(1);
    }

    /// <summary>Partial derivative with respect to Vds.</summary>
    public double D
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _x.GetElement(2);
    }

    /// <summary>Partial derivative with respect to Vbs.</summary>
    public double B
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _x.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator Dual3(double v) => new(Vector256.CreateScalar(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator +(Dual3 a, Dual3 b) => new(a._x + b._x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator +(Dual3 a, double b) => new(Lane0(a._x, a._x + Vector256.Create(b)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator +(double a, Dual3 b) => new(Lane0(b._x, Vector256.Create(a) + b._x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator -(Dual3 a, Dual3 b) => new(a._x - b._x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator -(Dual3 a, double b) => new(Lane0(a._x, a._x - Vector256.Create(b)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator -(double a, Dual3 b) => new(Lane0(-b._x, Vector256.Create(a) - b._x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator -(Dual3 a) => new(-a._x);

    // (a.V b.V, a.G b.V + a.V b.G, ...): both products per lane, summed, lane 0 from the first product alone.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator *(Dual3 a, Dual3 b)
    {
        Vector256<double> t = a._x * Vector256.Create(b._x.ToScalar());
        Vector256<double> u = Vector256.Create(a._x.ToScalar()) * b._x;
        return new(Lane0(t + u, t));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator *(Dual3 a, double b) => new(a._x * Vector256.Create(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator *(double a, Dual3 b) => new(Vector256.Create(a) * b._x);

    // q = a.V / b.V as a.V (1 / b.V); derivatives (a.X - q b.X) (1 / b.V).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator /(Dual3 a, Dual3 b)
    {
        double inv = 1 / b._x.ToScalar();
        double q = a._x.ToScalar() * inv;
        Vector256<double> r = (a._x - (Vector256.Create(q) * b._x)) * Vector256.Create(inv);
        return new(Lane0(r, Vector256.CreateScalar(q)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator /(Dual3 a, double b) => new(a._x * Vector256.Create(1 / b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 operator /(double a, Dual3 b)
    {
        double inv = 1 / b._x.ToScalar();
        double q = a * inv;
        double s = -q * inv;
        return new(Lane0(Vector256.Create(s) * b._x, Vector256.CreateScalar(q)));
    }

    /// <summary>The same derivatives scaled by <paramref name="k"/> (a derivative-only factor, value unchanged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual3 ScaleDerivatives(double k) => new(Lane0(_x * Vector256.Create(k), _x));

    /// <summary>The same derivatives with another value: ngspice clamps some values without touching their slopes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Dual3 WithValue(double v) => new(Lane0(_x, Vector256.CreateScalar(v)));

    /// <summary>Chain rule for f(a) given f(a.V) and f'(a.V).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Apply(Dual3 a, double f, double df) => new(Lane0(Vector256.Create(df) * a._x, Vector256.CreateScalar(f)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Sqrt(Dual3 a)
    {
        double s = Math.Sqrt(a.V);
        return Apply(a, s, 0.5 / s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Exp(Dual3 a)
    {
        double e = Math.Exp(a.V);
        return Apply(a, e, e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual3 Log(Dual3 a) => Apply(a, Math.Log(a.V), 1 / a.V);

    /// <summary><paramref name="x"/> with lane 0 (the value) replaced by lane 0 of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Lane0(Vector256<double> x, Vector256<double> value) =>
        Avx.IsSupported ? Avx.Blend(x, value, 0b0001) : Vector256.ConditionalSelect(Vector256.Create(-1L, 0L, 0L, 0L).AsDouble(), value, x);
}

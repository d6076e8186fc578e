using System.Numerics;
using System.Numerics.Tensors;

namespace DnnOpt.Neural.Activations;

/// <summary>The activations a layer can use; the value is also the code stored in saved networks.</summary>
public enum Activation
{
    /// <summary>φ(z) = z.</summary>
    Identity = 0,

    /// <summary>φ(z) = max(0, z).</summary>
    Relu = 1,

    /// <summary>φ(z) = tanh z.</summary>
    Tanh = 2,

    /// <summary>φ(z) = 1 / (1 + e^-z).</summary>
    Sigmoid = 3,

    /// <summary>φ(z) = z · sigmoid(z) (also called swish).</summary>
    Silu = 4,
}

/// <summary>φ(z) = z.</summary>
public readonly struct IdentityActivation : IActivation
{
    /// <inheritdoc/>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> => z.CopyTo(a);

    /// <inheritdoc/>
    public static void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T> => da.CopyTo(dz);
}

/// <summary>φ(z) = max(0, z); the derivative at 0 is taken as 0.</summary>
public readonly struct ReluActivation : IActivation
{
    /// <inheritdoc/>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(z, T.Zero, a);

    /// <inheritdoc/>
    public static void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i + Vector<T>.Count <= z.Length; i += Vector<T>.Count)
            {
                var zi = new Vector<T>(z[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(zi, Vector<T>.Zero), new Vector<T>(da[i..]), Vector<T>.Zero).CopyTo(dz[i..]);
            }
        }

        for (; i < z.Length; i++)
        {
            dz[i] = z[i] > T.Zero ? da[i] : T.Zero;
        }
    }
}

/// <summary>φ(z) = tanh z, φ' = 1 - a².</summary>
public readonly struct TanhActivation : IActivation
{
    /// <inheritdoc/>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(z, a);

    /// <inheritdoc/>
    public static void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            dz[i] = da[i] * (T.One - (a[i] * a[i]));
        }
    }
}

/// <summary>φ(z) = 1 / (1 + e^-z), φ' = a (1 - a).</summary>
public readonly struct SigmoidActivation : IActivation
{
    /// <inheritdoc/>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(z, a);

    /// <inheritdoc/>
    public static void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            dz[i] = da[i] * a[i] * (T.One - a[i]);
        }
    }
}

/// <summary>φ(z) = z σ(z), φ' = σ(z) (1 + z (1 - σ(z))).</summary>
public readonly struct SiluActivation : IActivation
{
    /// <inheritdoc/>
    public static void Forward<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Sigmoid(z, a);
        TensorPrimitives.Multiply(z, a, a);
    }

    /// <inheritdoc/>
    public static void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            // σ recomputed per element: storing it would cost a buffer per layer for a cheap exp.
            T s = T.One / (T.One + T.Exp(-z[i]));
            dz[i] = da[i] * s * (T.One + (z[i] * (T.One - s)));
        }
    }
}

/// <summary>Dispatches an <see cref="Activation"/> value to its specialised implementation, once per layer call.</summary>
internal static class ActivationDispatch
{
    public static void Forward<T>(Activation kind, ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case Activation.Identity: IdentityActivation.Forward(z, a); break;
            case Activation.Relu: ReluActivation.Forward(z, a); break;
            case Activation.Tanh: TanhActivation.Forward(z, a); break;
            case Activation.Sigmoid: SigmoidActivation.Forward(z, a); break;
            case Activation.Silu: SiluActivation.Forward(z, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    public static void Backward<T>(Activation kind, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case Activation.Identity: IdentityActivation.Backward(z, a, da, dz); break;
            case Activation.Relu: ReluActivation.Backward(z, a, da, dz); break;
            case Activation.Tanh: TanhActivation.Backward(z, a, da, dz); break;
            case Activation.Sigmoid: SigmoidActivation.Backward(z, a, da, dz); break;
            case Activation.Silu: SiluActivation.Backward(z, a, da, dz); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    public static bool IsDefined(Activation kind) => kind is >= Activation.Identity and <= Activation.Silu;
}

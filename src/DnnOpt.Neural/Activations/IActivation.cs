using System.Numerics;

namespace DnnOpt.Neural.Activations;

/// <summary>
/// An elementwise activation a = φ(z) with its derivative. Implemented by <c>readonly struct</c>s with static members
/// so that the JIT specialises each layer loop: there is no virtual call per element.
/// </summary>
public interface IActivation
{
    /// <summary>Writes <c>a[i] = φ(z[i])</c>.</summary>
    static abstract void Forward<T>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Writes <c>dz[i] = da[i] · φ'(z[i])</c>, given the pre-activation <paramref name="z"/> and the activation
    /// <paramref name="a"/> computed by <see cref="Forward{T}"/> (whichever is cheaper to differentiate from).
    /// <paramref name="dz"/> may alias <paramref name="da"/>.
    /// </summary>
    static abstract void Backward<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> da, Span<T> dz)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

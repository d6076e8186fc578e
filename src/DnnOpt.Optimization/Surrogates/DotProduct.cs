using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DnnOpt.Optimization.Surrogates;

/// <summary>
/// Dot product with a fixed summation order on every machine: four 256-bit lanes accumulated separately, then summed
/// lane 0 to 3, then the scalar tail. <see cref="Vector256{T}"/> is emulated with the same lane arithmetic where AVX is
/// missing, so a run (and its resume from a history) gives the same bits everywhere, unlike a width-dependent
/// <c>Vector&lt;T&gt;</c> loop.
/// </summary>
internal static class DotProduct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Compute(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = Math.Min(a.Length, b.Length);
        int i = 0;
        double sum = 0;
        if (n >= 8)
        {
            ref double ra = ref MemoryMarshal.GetReference(a);
            ref double rb = ref MemoryMarshal.GetReference(b);
            var acc = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                acc += Vector256.LoadUnsafe(ref ra, (nuint)i) * Vector256.LoadUnsafe(ref rb, (nuint)i);
            }

            sum = acc.GetElement(0) + acc.GetElement(1) + acc.GetElement(2) + acc.GetElement(3);
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DnnOpt.Neural.Kernels;

/// <summary>
/// Dense row-major matrix products for batched layers: <c>C (+)= A·B</c> with A of shape m×k and B of shape k×n.
/// Transposed products are formed by the caller with <see cref="Transpose{T}"/> into scratch space, which costs
/// O(mk) against the O(mkn) product and keeps a single tuned kernel.
/// </summary>
/// <remarks>
/// The kernel holds a 4-row × 2-vector tile of C in registers and streams one row of B per step of k, so every
/// loaded B vector feeds four fused multiply-adds. Each element of C is computed by one thread in a fixed order, so
/// results are bit-identical for a given machine whatever the row partitioning.
/// </remarks>
internal static class Gemm
{
    private const int RowTile = 4;

    /// <summary>Computes <c>C = A·B</c> (or <c>C += A·B</c> when <paramref name="accumulate"/>) over rows [rowStart, rowEnd) of C.</summary>
    public static void Multiply<T>(
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate, int rowStart = 0, int rowEnd = -1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rowEnd < 0)
        {
            rowEnd = m;
        }

        if (!accumulate)
        {
            c.Slice(rowStart * n, (rowEnd - rowStart) * n).Clear();
        }

        if (k == 0 || n == 0)
        {
            return;
        }

        ref T ra = ref MemoryMarshal.GetReference(a);
        ref T rb = ref MemoryMarshal.GetReference(b);
        ref T rc = ref MemoryMarshal.GetReference(c);
        int w = Vector<T>.Count;
        int i = rowStart;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i + RowTile <= rowEnd; i += RowTile)
            {
                int j = 0;
                for (; j + (2 * w) <= n; j += 2 * w)
                {
                    Tile4x2(ref ra, ref rb, ref rc, i, j, k, n);
                }

                for (; j + w <= n; j += w)
                {
                    Tile4x1(ref ra, ref rb, ref rc, i, j, k, n);
                }

                if (j < n)
                {
                    ScalarBlock(ref ra, ref rb, ref rc, i, i + RowTile, j, n, k, n);
                }
            }

            for (; i < rowEnd; i++)
            {
                int j = 0;
                for (; j + w <= n; j += w)
                {
                    Tile1x1(ref ra, ref rb, ref rc, i, j, k, n);
                }

                if (j < n)
                {
                    ScalarBlock(ref ra, ref rb, ref rc, i, i + 1, j, n, k, n);
                }
            }
        }
        else
        {
            ScalarBlock(ref ra, ref rb, ref rc, rowStart, rowEnd, 0, n, k, n);
        }
    }

    /// <summary>Writes the n×m transpose of the m×n row-major matrix <paramref name="source"/>.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int m, int n)
    {
        // Blocked so that both the reads and the writes stay within a few cache lines per block.
        const int Block = 16;
        for (int i0 = 0; i0 < m; i0 += Block)
        {
            int i1 = Math.Min(i0 + Block, m);
            for (int j0 = 0; j0 < n; j0 += Block)
            {
                int j1 = Math.Min(j0 + Block, n);
                for (int i = i0; i < i1; i++)
                {
                    int row = i * n;
                    for (int j = j0; j < j1; j++)
                    {
                        destination[(j * m) + i] = source[row + j];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // MultiplyAddEstimate fuses where the hardware has FMA and is exactly x*y+acc otherwise; the JIT removes the
        // dead type branches.
        if (typeof(T) == typeof(float))
        {
            return Vector.MultiplyAddEstimate(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.MultiplyAddEstimate(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        }

        return (x * y) + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ref T origin, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector.LoadUnsafe(ref origin, (nuint)offset);

    private static void Tile4x2<T>(ref T a, ref T b, ref T c, int i, int j, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        int c0 = (i * n) + j, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        Vector<T> s00 = Load(ref c, c0), s01 = Load(ref c, c0 + w);
        Vector<T> s10 = Load(ref c, c1), s11 = Load(ref c, c1 + w);
        Vector<T> s20 = Load(ref c, c2), s21 = Load(ref c, c2 + w);
        Vector<T> s30 = Load(ref c, c3), s31 = Load(ref c, c3 + w);
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int bj = j;
        for (int p = 0; p < k; p++, bj += n)
        {
            Vector<T> b0 = Load(ref b, bj);
            Vector<T> b1 = Load(ref b, bj + w);
            var x0 = new Vector<T>(Unsafe.Add(ref a, a0 + p));
            s00 = Fma(x0, b0, s00);
            s01 = Fma(x0, b1, s01);
            var x1 = new Vector<T>(Unsafe.Add(ref a, a1 + p));
            s10 = Fma(x1, b0, s10);
            s11 = Fma(x1, b1, s11);
            var x2 = new Vector<T>(Unsafe.Add(ref a, a2 + p));
            s20 = Fma(x2, b0, s20);
            s21 = Fma(x2, b1, s21);
            var x3 = new Vector<T>(Unsafe.Add(ref a, a3 + p));
            s30 = Fma(x3, b0, s30);
            s31 = Fma(x3, b1, s31);
        }

        s00.StoreUnsafe(ref c, (nuint)c0); s01.StoreUnsafe(ref c, (nuint)(c0 + w));
        s10.StoreUnsafe(ref c, (nuint)c1); s11.StoreUnsafe(ref c, (nuint)(c1 + w));
        s20.StoreUnsafe(ref c, (nuint)c2); s21.StoreUnsafe(ref c, (nuint)(c2 + w));
        s30.StoreUnsafe(ref c, (nuint)c3); s31.StoreUnsafe(ref c, (nuint)(c3 + w));
    }

    private static void Tile4x1<T>(ref T a, ref T b, ref T c, int i, int j, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c0 = (i * n) + j, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        Vector<T> s0 = Load(ref c, c0), s1 = Load(ref c, c1), s2 = Load(ref c, c2), s3 = Load(ref c, c3);
        int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        int bj = j;
        for (int p = 0; p < k; p++, bj += n)
        {
            Vector<T> b0 = Load(ref b, bj);
            s0 = Fma(new Vector<T>(Unsafe.Add(ref a, a0 + p)), b0, s0);
            s1 = Fma(new Vector<T>(Unsafe.Add(ref a, a1 + p)), b0, s1);
            s2 = Fma(new Vector<T>(Unsafe.Add(ref a, a2 + p)), b0, s2);
            s3 = Fma(new Vector<T>(Unsafe.Add(ref a, a3 + p)), b0, s3);
        }

        s0.StoreUnsafe(ref c, (nuint)c0);
        s1.StoreUnsafe(ref c, (nuint)c1);
        s2.StoreUnsafe(ref c, (nuint)c2);
        s3.StoreUnsafe(ref c, (nuint)c3);
    }

    private static void Tile1x1<T>(ref T a, ref T b, ref T c, int i, int j, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c0 = (i * n) + j;
        Vector<T> s0 = Load(ref c, c0);
        int a0 = i * k;
        int bj = j;
        for (int p = 0; p < k; p++, bj += n)
        {
            s0 = Fma(new Vector<T>(Unsafe.Add(ref a, a0 + p)), Load(ref b, bj), s0);
        }

        s0.StoreUnsafe(ref c, (nuint)c0);
    }

    private static void ScalarBlock<T>(ref T a, ref T b, ref T c, int i0, int i1, int j0, int j1, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = i0; i < i1; i++)
        {
            for (int j = j0; j < j1; j++)
            {
                T s = Unsafe.Add(ref c, (i * n) + j);
                for (int p = 0; p < k; p++)
                {
                    s = T.FusedMultiplyAdd(Unsafe.Add(ref a, (i * k) + p), Unsafe.Add(ref b, (p * n) + j), s);
                }

                Unsafe.Add(ref c, (i * n) + j) = s;
            }
        }
    }
}

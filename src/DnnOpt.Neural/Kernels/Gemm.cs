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
        => Multiply(a, k, 1, b, c, m, k, n, accumulate, rowStart, rowEnd);

    /// <summary>
    /// Computes <c>C = Aᵀ·B</c> (or <c>C += Aᵀ·B</c>) where <paramref name="a"/> holds the k×m row-major matrix whose
    /// transpose is the left operand: the weight gradient <c>dW = Xᵀ·dZ</c> without forming Xᵀ.
    /// </summary>
    public static void MultiplyTransposedA<T>(
        ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate, int rowStart = 0, int rowEnd = -1)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(a, 1, m, b, c, m, k, n, accumulate, rowStart, rowEnd);

    /// <summary>
    /// <c>C (+)= op(A)·B</c> where element (i, p) of op(A) is <c>a[i·rowStride + p·colStride]</c>, B is k×n and C is
    /// m×n, both row-major.
    /// </summary>
    internal static void Multiply<T>(
        ReadOnlySpan<T> a, int rowStride, int colStride, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate, int rowStart, int rowEnd)
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
        if (!Vector.IsHardwareAccelerated || !Vector<T>.IsSupported)
        {
            ScalarBlock(ref ra, rowStride, colStride, ref rb, ref rc, rowStart, rowEnd, 0, n, k, n);
            return;
        }

        int fullColumns = n - (n % w);
        int i = rowStart;
        for (; i + RowTile <= rowEnd; i += RowTile)
        {
            int j = 0;
            for (; j + (2 * w) <= fullColumns; j += 2 * w)
            {
                Tile4x2(ref ra, rowStride, colStride, ref rb, ref rc, i, j, k, n);
            }

            for (; j < fullColumns; j += w)
            {
                Tile4x1(ref ra, rowStride, colStride, ref rb, ref rc, i, j, k, n);
            }
        }

        for (; i < rowEnd; i++)
        {
            for (int j = 0; j < fullColumns; j += w)
            {
                Tile1x1(ref ra, rowStride, colStride, ref rb, ref rc, i, j, k, n);
            }
        }

        if (fullColumns < n)
        {
            RemainderColumns(ref ra, rowStride, colStride, ref rb, ref rc, rowStart, rowEnd, fullColumns, k, n);
        }
    }

    /// <summary>
    /// The last n mod w columns: B's ragged edge is packed, zero-padded, into a k-chunk × w panel on the stack so the
    /// rows still run on full vectors (a critic with 30 outputs would otherwise spend a fifth of its time in scalar code).
    /// </summary>
    private static void RemainderColumns<T>(
        ref T a, int rs, int cs, ref T b, ref T c, int rowStart, int rowEnd, int j0, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int KChunk = 256;
        int w = Vector<T>.Count;
        int r = n - j0;
        Span<T> panel = stackalloc T[KChunk * Vector<T>.Count];
        Span<T> lane = stackalloc T[Vector<T>.Count];
        ref T rp = ref MemoryMarshal.GetReference(panel);
        for (int p0 = 0; p0 < k; p0 += KChunk)
        {
            int kc = Math.Min(KChunk, k - p0);
            panel.Clear();
            for (int p = 0; p < kc; p++)
            {
                for (int q = 0; q < r; q++)
                {
                    panel[(p * w) + q] = Unsafe.Add(ref b, ((p0 + p) * n) + j0 + q);
                }
            }

            for (int i = rowStart; i < rowEnd; i++)
            {
                ref T ci = ref Unsafe.Add(ref c, (i * n) + j0);
                lane.Clear();
                MemoryMarshal.CreateReadOnlySpan(ref ci, r).CopyTo(lane);
                var acc = new Vector<T>(lane);
                int ai = (i * rs) + (p0 * cs);
                for (int p = 0; p < kc; p++, ai += cs)
                {
                    acc = Fma(new Vector<T>(Unsafe.Add(ref a, ai)), Load(ref rp, p * w), acc);
                }

                acc.CopyTo(lane);
                lane[..r].CopyTo(MemoryMarshal.CreateSpan(ref ci, r));
            }
        }
    }

    /// <summary>Writes the n×m transpose of the m×n row-major matrix <paramref name="source"/>.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int m, int n)
    {
        if (source.Length < m * n || destination.Length < m * n)
        {
            throw new ArgumentException("The spans are shorter than m·n.", nameof(destination));
        }

        ref T src = ref MemoryMarshal.GetReference(source);
        ref T dst = ref MemoryMarshal.GetReference(destination);
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
                        Unsafe.Add(ref dst, (j * m) + i) = Unsafe.Add(ref src, row + j);
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

    private static void Tile4x2<T>(ref T a, int rs, int cs, ref T b, ref T c, int i, int j, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        int c0 = (i * n) + j, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        Vector<T> s00 = Load(ref c, c0), s01 = Load(ref c, c0 + w);
        Vector<T> s10 = Load(ref c, c1), s11 = Load(ref c, c1 + w);
        Vector<T> s20 = Load(ref c, c2), s21 = Load(ref c, c2 + w);
        Vector<T> s30 = Load(ref c, c3), s31 = Load(ref c, c3 + w);
        int a0 = i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        int bj = j;
        for (int p = 0; p < k; p++, bj += n, a0 += cs, a1 += cs, a2 += cs, a3 += cs)
        {
            Vector<T> b0 = Load(ref b, bj);
            Vector<T> b1 = Load(ref b, bj + w);
            var x0 = new Vector<T>(Unsafe.Add(ref a, a0));
            s00 = Fma(x0, b0, s00);
            s01 = Fma(x0, b1, s01);
            var x1 = new Vector<T>(Unsafe.Add(ref a, a1));
            s10 = Fma(x1, b0, s10);
            s11 = Fma(x1, b1, s11);
            var x2 = new Vector<T>(Unsafe.Add(ref a, a2));
            s20 = Fma(x2, b0, s20);
            s21 = Fma(x2, b1, s21);
            var x3 = new Vector<T>(Unsafe.Add(ref a, a3));
            s30 = Fma(x3, b0, s30);
            s31 = Fma(x3, b1, s31);
        }

        s00.StoreUnsafe(ref c, (nuint)c0); s01.StoreUnsafe(ref c, (nuint)(c0 + w));
        s10.StoreUnsafe(ref c, (nuint)c1); s11.StoreUnsafe(ref c, (nuint)(c1 + w));
        s20.StoreUnsafe(ref c, (nuint)c2); s21.StoreUnsafe(ref c, (nuint)(c2 + w));
        s30.StoreUnsafe(ref c, (nuint)c3); s31.StoreUnsafe(ref c, (nuint)(c3 + w));
    }

    private static void Tile4x1<T>(ref T a, int rs, int cs, ref T b, ref T c, int i, int j, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c0 = (i * n) + j, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        Vector<T> s0 = Load(ref c, c0), s1 = Load(ref c, c1), s2 = Load(ref c, c2), s3 = Load(ref c, c3);
        int a0 = i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        int bj = j;
        for (int p = 0; p < k; p++, bj += n, a0 += cs, a1 += cs, a2 += cs, a3 += cs)
        {
            Vector<T> b0 = Load(ref b, bj);
            s0 = Fma(new Vector<T>(Unsafe.Add(ref a, a0)), b0, s0);
            s1 = Fma(new Vector<T>(Unsafe.Add(ref a, a1)), b0, s1);
            s2 = Fma(new Vector<T>(Unsafe.Add(ref a, a2)), b0, s2);
            s3 = Fma(new Vector<T>(Unsafe.Add(ref a, a3)), b0, s3);
        }

        s0.StoreUnsafe(ref c, (nuint)c0);
        s1.StoreUnsafe(ref c, (nuint)c1);
        s2.StoreUnsafe(ref c, (nuint)c2);
        s3.StoreUnsafe(ref c, (nuint)c3);
    }

    private static void Tile1x1<T>(ref T a, int rs, int cs, ref T b, ref T c, int i, int j, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c0 = (i * n) + j;
        Vector<T> s0 = Load(ref c, c0);
        int a0 = i * rs;
        int bj = j;
        for (int p = 0; p < k; p++, bj += n, a0 += cs)
        {
            s0 = Fma(new Vector<T>(Unsafe.Add(ref a, a0)), Load(ref b, bj), s0);
        }

        s0.StoreUnsafe(ref c, (nuint)c0);
    }

    private static void ScalarBlock<T>(ref T a, int rs, int cs, ref T b, ref T c, int i0, int i1, int j0, int j1, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = i0; i < i1; i++)
        {
            for (int j = j0; j < j1; j++)
            {
                T s = Unsafe.Add(ref c, (i * n) + j);
                for (int p = 0; p < k; p++)
                {
                    s = T.FusedMultiplyAdd(Unsafe.Add(ref a, (i * rs) + (p * cs)), Unsafe.Add(ref b, (p * n) + j), s);
                }

                Unsafe.Add(ref c, (i * n) + j) = s;
            }
        }
    }
}

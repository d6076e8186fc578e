using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DnnOpt.Spice.Algebra;

/// <summary>
/// Row supernodes of U for the refactorisation. Where the LU fills (2-D structures: the NAND arrays of the scale study)
/// runs of consecutive pivot rows share their U pattern: rows j..j+r-1 form a run when the off-diagonal pattern of
/// each is the next row's pivot column followed by the next row's pattern. A row k with an L entry at a run row j then
/// has L entries at the run's later rows before k as well (eliminating with row j filled them; j may be anywhere in the
/// run), and its update by those m rows is a dense block: the
/// multipliers come from a small triangle, then every column after the block gets the run's rows subtracted, row after
/// row, from a gathered copy of the work vector, four rows at a time in SIMD lanes over contiguous U entries. Each
/// element receives the same operations in the same order as in the row-by-row update (separate multiply and
/// subtract, multipliers that are zero skipped), so the factors are the same bits. (Four rows per pass rather than
/// TensorPrimitives' one-row multiply-add, which would read and write the gathered copy once per row.)
/// </summary>
internal sealed partial class SparseLu
{
    // Below this many rows of a run used together the gather and scatter of the work vector cost more than they save
    // (measured with --lu-kernel on the 16k MOS1 array).
    private const int MinBlockRows = 4;

    // Rows left in the run starting at each pivot row (1: the row is not followed by a row of its pattern).
    private int[] _runLength = [];

    // Rows with at least one block update: the others take the row-by-row loop without looking runs up (a chain has
    // no runs, and the look-up alone cost the 10k BSIM3 chain's refactorisation 10-15 %).
    private bool[] _usesRuns = [];

    // The work vector's entries for the columns a block updates, gathered contiguously.
    private double[] _gathered = [];

    // Multipliers and U-entry offsets of a block's rows whose multiplier is not zero.
    private double[] _blockL = [];
    private int[] _blockBase = [];

    /// <summary>Whether refactorisation uses block updates where the pattern has runs (tests compare against false).</summary>
    internal bool BlockUpdates { get; set; } = true;

    /// <summary>
    /// L entries of the installed pattern that block updates handle (0: every refactorisation takes the row-by-row code;
    /// tests check the block path is taken).
    /// </summary>
    internal int BlockedEntries { get; private set; }

    /// <summary>Rows left in the run starting at each pivot row of the installed pattern (the harness's structure report).</summary>
    internal ReadOnlySpan<int> RunLengths => _runLength;

    /// <summary>The L+U values of the last factorisation, in the permuted CSR of <see cref="Pattern"/>.</summary>
    internal ReadOnlySpan<double> Factors => _lu;

    /// <summary>Whether a refactorisation looks runs up (a type argument, so the JIT compiles each mode apart).</summary>
    private interface IRefactorMode
    {
        static abstract bool Blocked { get; }
    }

    private readonly struct RowByRow : IRefactorMode
    {
        public static bool Blocked => false;
    }

    private readonly struct WithRuns : IRefactorMode
    {
        public static bool Blocked => true;
    }

    /// <summary>Finds the runs of the installed pattern (once per ordering; linear in the L+U entries).</summary>
    private void FindRuns()
    {
        int n = _n;
        if (_runLength.Length != n)
        {
            _runLength = new int[n];
            _usesRuns = new bool[n];
        }

        int[] rowPtr = _rowPtr;
        int[] colIdx = _colIdx;
        int[] diag = _diag;
        int longest = 1;
        for (int j = n - 1; j >= 0; j--)
        {
            int run = 1;
            if (j + 1 < n)
            {
                int length = rowPtr[j + 1] - diag[j] - 1;
                int next = rowPtr[j + 2] - diag[j + 1] - 1;
                if (length == next + 1 && colIdx[diag[j] + 1] == j + 1
                    && colIdx.AsSpan(diag[j] + 2, next).SequenceEqual(colIdx.AsSpan(diag[j + 1] + 1, next)))
                {
                    run = _runLength[j + 1] + 1;
                }
            }

            _runLength[j] = run;
            longest = Math.Max(longest, run);
        }

        // Which rows take blocks, walking each row's L entries as the refactorisation will. A block needs the run's
        // rows as consecutive L entries, which the ordering's structural fill guarantees; a row where that does not
        // hold (a pattern from elsewhere) is refactorised row by row rather than trusted.
        BlockedEntries = 0;
        for (int k = 0; k < n; k++)
        {
            int blocked = 0;
            bool consecutive = true;
            int d = diag[k];
            for (int p = rowPtr[k]; p < d; p++)
            {
                int j = colIdx[p];
                int m = Math.Min(_runLength[j], k - j);
                if (m >= MinBlockRows)
                {
                    consecutive &= p + m <= d && colIdx[p + m - 1] == j + m - 1;
                    blocked += m;
                    p += m - 1;
                }
            }

            bool uses = blocked > 0 && consecutive;
            _usesRuns[k] = uses;
            BlockedEntries += uses ? blocked : 0;
        }

        // The gather buffer only for patterns that use blocks (a chain of 250k unknowns would carry 2 MB for nothing).
        if (BlockedEntries > 0 && _gathered.Length < n)
        {
            _gathered = new double[n];
        }

        if (_blockL.Length < longest)
        {
            _blockL = new double[longest];
            _blockBase = new int[longest];
        }
    }

    /// <summary>
    /// Updates the work vector of the row being factorised by the <paramref name="m"/> run rows j..j+m-1 (all L entries of
    /// row k): their multipliers first, each from the work entry the rows before it updated, then every column after the
    /// block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateByRun(Span<double> work, int j, int m)
    {
        ReadOnlySpan<double> lu = _lu;
        ReadOnlySpan<int> diag = _diag;
        Span<double> blockL = _blockL;
        Span<int> blockBase = _blockBase;
        int rows = 0;
        for (int t = 0; t < m; t++)
        {
            int row = j + t;
            int dt = diag[row];
            double l = work[row] / lu[dt];
            work[row] = l;
            if (l == 0)
            {
                continue;
            }

            // Row j+t's U pattern starts with the run's later columns j+t+1..j+run-1: those inside the block first.
            for (int u = t + 1; u < m; u++)
            {
                work[j + u] -= l * lu[dt + (u - t)];
            }

            blockL[rows] = l;
            blockBase[rows] = dt + (m - t);
            rows++;
        }

        // Columns after the block: the rest of the run's columns, then the pattern the run's rows share.
        int first = diag[j] + m;
        int width = _rowPtr[j + 1] - first;
        if (rows == 0 || width == 0)
        {
            // (No width from a factor pattern is 0: the run's last row would be the matrix's last, which no row follows.)
            return;
        }

        ReadOnlySpan<int> cols = _colIdx.AsSpan(first, width);
        Span<double> g = _gathered.AsSpan(0, width);
        for (int i = 0; i < width; i++)
        {
            g[i] = work[cols[i]];
        }

        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            Subtract4(g, lu, blockL.Slice(r, 4), blockBase.Slice(r, 4));
        }

        for (; r < rows; r++)
        {
            double l = blockL[r];
            ReadOnlySpan<double> u = lu.Slice(blockBase[r], width);
            for (int i = 0; i < width; i++)
            {
                g[i] -= l * u[i];
            }
        }

        for (int i = 0; i < width; i++)
        {
            work[cols[i]] = g[i];
        }
    }

    /// <summary>g -= l0 u0, then l1 u1, l2 u2, l3 u3 (in that order per element), u_t the U entries at base_t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Subtract4(Span<double> g, ReadOnlySpan<double> lu, ReadOnlySpan<double> l, ReadOnlySpan<int> bases)
    {
        int width = g.Length;
        ReadOnlySpan<double> u0 = lu.Slice(bases[0], width);
        ReadOnlySpan<double> u1 = lu.Slice(bases[1], width);
        ReadOnlySpan<double> u2 = lu.Slice(bases[2], width);
        ReadOnlySpan<double> u3 = lu.Slice(bases[3], width);
        double l0 = l[0], l1 = l[1], l2 = l[2], l3 = l[3];
        int i = 0;
        if (Vector256.IsHardwareAccelerated && width >= Vector256<double>.Count)
        {
            Vector256<double> v0 = Vector256.Create(l0), v1 = Vector256.Create(l1), v2 = Vector256.Create(l2), v3 = Vector256.Create(l3);
            ref double gRef = ref MemoryMarshal.GetReference(g);
            ref double a0 = ref MemoryMarshal.GetReference(u0);
            ref double a1 = ref MemoryMarshal.GetReference(u1);
            ref double a2 = ref MemoryMarshal.GetReference(u2);
            ref double a3 = ref MemoryMarshal.GetReference(u3);
            for (; i <= width - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                nuint at = (nuint)i;
                Vector256<double> x = Vector256.LoadUnsafe(ref gRef, at);
                x -= v0 * Vector256.LoadUnsafe(ref a0, at);
                x -= v1 * Vector256.LoadUnsafe(ref a1, at);
                x -= v2 * Vector256.LoadUnsafe(ref a2, at);
                x -= v3 * Vector256.LoadUnsafe(ref a3, at);
                x.StoreUnsafe(ref gRef, at);
            }
        }

        for (; i < width; i++)
        {
            double x = g[i];
            x -= l0 * u0[i];
            x -= l1 * u1[i];
            x -= l2 * u2[i];
            x -= l3 * u3[i];
            g[i] = x;
        }
    }
}

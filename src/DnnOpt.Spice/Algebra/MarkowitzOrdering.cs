using System.Numerics;
using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Algebra;

/// <summary>The symbolic result of an ordering: the permuted CSR pattern of L+U (fill included) and where each slot lands.</summary>
/// <param name="RowPtr">Start of each permuted row in <paramref name="ColIdx"/> (n + 1 entries).</param>
/// <param name="ColIdx">Permuted column of every L+U entry, sorted within a row.</param>
/// <param name="Diag">Position of the pivot of every permuted row.</param>
/// <param name="RowOrder">Original row of permuted row k.</param>
/// <param name="ColOrder">Original column of permuted column k.</param>
/// <param name="ElementPos">Position in L+U of every matrix slot.</param>
internal sealed record LuPattern(int[] RowPtr, int[] ColIdx, int[] Diag, int[] RowOrder, int[] ColOrder, int[] ElementPos);

/// <summary>Pivot magnitude of a scalar type (the threshold test compares magnitudes).</summary>
/// <typeparam name="T">The scalar.</typeparam>
internal interface IPivotMagnitude<T>
{
    /// <summary>Magnitude used by the pivot threshold tests.</summary>
    static abstract double Magnitude(T value);
}

/// <summary>|x| for real matrices.</summary>
internal readonly struct RealMagnitude : IPivotMagnitude<double>
{
    public static double Magnitude(double value) => Math.Abs(value);
}

/// <summary>|re| + |im| for complex matrices: the cheap norm Sparse 1.3 pivots on, within a factor √2 of the modulus.</summary>
internal readonly struct ComplexMagnitude : IPivotMagnitude<Complex>
{
    public static double Magnitude(Complex value) => Math.Abs(value.Real) + Math.Abs(value.Imaginary);
}

/// <summary>
/// Markowitz ordering with threshold pivoting shared by the real and complex LU (the arithmetic is generic, the JIT
/// specialises it per scalar type).
/// </summary>
/// <remarks>
/// At each step the candidates are the entries of the <see cref="CandidateLines"/> sparsest live rows and active columns
/// that pass the threshold test (|a| ≥ absolute threshold and ≥ relative threshold × the largest |entry| of its row);
/// the one with the smallest (r-1)(c-1) product wins, ties going to diagonal entries (MNA matrices are nearly
/// symmetric), then to the larger ratio to its row maximum, then to the first one met. "Sparsest" is decided by one
/// pass over the lines in index order keeping the best four (a line replaces the current worst, the first of equal
/// worst ones, only when strictly sparser); candidates are met along the candidate rows, then the candidate columns,
/// each in the order that pass left them and each line in its position order (<see cref="SparseLinePool{TValue}"/>).
/// A row all of whose entries are under the absolute threshold (a "dead" row: it can give no pivot until an
/// elimination raises it) is never one of the sparsest rows. A live candidate row always holds a passing entry (its
/// largest, given a relative threshold of at most 1, which <see cref="Analyses.SimulationOptions"/> enforces), so when
/// none passes no live row is left and the matrix is singular: no step searches the whole matrix.
/// (Before dead rows were passed over, a near-singular Newton matrix of a 16k-MOSFET array kept four dead rows as the
/// sparsest for its last thousand steps and each of those steps searched every active row: the pivot search of one
/// such ordering visited 450 million entries, that of a regular ordering of the same matrix pattern 3.3 million.)
/// Cost is near-linear for circuit matrices: the sparsest lines
/// come from count trees (<see cref="LineCountTree"/>) instead of a scan of every line, lines live in pooled arrays
/// (no per-line hash set), an elimination walks the target row once against a scatter of the pivot row, and the work
/// arrays are reused from step to step and from one ordering to the next (they stay allocated with the instance).
/// </remarks>
/// <typeparam name="T">double or Complex.</typeparam>
/// <typeparam name="TMagnitude">How pivots are measured.</typeparam>
internal sealed partial class MarkowitzOrdering<T, TMagnitude>(int size, int[] elementRows, int[] elementCols, double absoluteThreshold, double relativeThreshold)
    where T : struct, INumberBase<T>
    where TMagnitude : IPivotMagnitude<T>
{
    private const int CandidateLines = 4;

    // Row-tree value of an active row that has no entry at or above the absolute threshold: above any real count, so
    // the search for sparse rows, which asks for values below it, passes the row over; kept apart from int.MaxValue
    // (done) so the tree's values say which rows are still active.
    private const int DeadRow = int.MaxValue - 1;

    // Room per line for fill before it moves in its pool (moves are amortised; this only saves most of them).
    private const int FillSlack = 2;
    private readonly int _n = size;
    private readonly int[] _elementRows = elementRows;
    private readonly int[] _elementCols = elementCols;

    // Work arrays kept from one ordering to the next (a circuit re-orders several times per operating point when kept
    // pivots fall to zero; on a 36k-MOSFET array each ordering allocated hundreds of MB before this).
    private State? _state;

    private double AbsoluteThreshold { get; } = absoluteThreshold;

    private double RelativeThreshold { get; } = relativeThreshold;

    /// <summary>
    /// Chooses the pivot sequence on a dynamic copy of the matrix, recording the fill pattern, and builds the permuted
    /// CSR used by refactorisation. One instance serves every ordering of its pattern (work arrays are reused), from
    /// one thread at a time.
    /// </summary>
    /// <param name="values">One value per slot.</param>
    /// <param name="pattern">The symbolic result, or null when singular.</param>
    /// <returns>Ok, or Singular with the first column that has no acceptable pivot.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LuResult Order(ReadOnlySpan<T> values, out LuPattern? pattern)
    {
        pattern = null;
        int n = _n;
        var rowCount = new int[n];
        var colCount = new int[n];
        for (int e = 0; e < _elementRows.Length; e++)
        {
            rowCount[_elementRows[e]]++;
            colCount[_elementCols[e]]++;
        }

        State state;
        if (_state is null)
        {
            state = new State(n, new SparseLinePool<T>(rowCount, FillSlack, hasValues: true), new SparseLinePool<byte>(colCount, FillSlack, hasValues: false), rowCount, colCount);
            _state = state;
        }
        else
        {
            state = _state;
            state.Reset(rowCount, colCount);
        }

        SparseLinePool<T> rows = state.Rows;
        SparseLinePool<byte> cols = state.Cols;
        for (int e = 0; e < _elementRows.Length; e++)
        {
            int r = _elementRows[e];
            int c = _elementCols[e];
            int inRow = rows.Add(r, c, -1, values[e]);
            rows.SetLink(r, inRow, cols.Add(c, r, inRow, 0));
        }

        for (int r = 0; r < n; r++)
        {
            UpdateRowMax(state, r);
        }

        Span<int> candRows = stackalloc int[CandidateLines];
        Span<int> candCols = stackalloc int[CandidateLines];
        for (int k = 0; k < n; k++)
        {
            state.Step = k + 1;
            int nr = SmallestLines(state.RowTree, DeadRow, candRows);
            int nc = SmallestLines(state.ColTree, int.MaxValue, candCols);
            (int pr, int pc) = BestPivot(state, candRows[..nr], candCols[..nc]);
            if (pr < 0)
            {
                StepsDone = k;
                return new LuResult(LuStatus.Singular, SingularColumn(state));
            }

            state.RowOrder[k] = pr;
            state.ColOrder[k] = pc;
            Eliminate(state, pr, pc);
        }

        StepsDone = n;
        pattern = BuildPattern(state);
        return new LuResult(LuStatus.Ok, -1);
    }

    /// <summary>Pivots the last <see cref="Order"/> chose before it finished or found the matrix singular.</summary>
    internal int StepsDone { get; private set; }

    /// <summary>Original row and column of each pivot of the last ordering (<see cref="StepsDone"/> of them; the oracle tests compare singular orderings step by step).</summary>
    internal (int[] Rows, int[] Cols) LastPivots() => _state is null ? ([], []) : (_state.RowOrder[..StepsDone], _state.ColOrder[..StepsDone]);

    /// <summary>
    /// The (up to) <see cref="CandidateLines"/> lines with the fewest entries among those whose tree value is below
    /// <paramref name="eligible"/>, chosen as one pass in index order would: the first four such lines, then each later
    /// line strictly sparser than the current worst replaces it. The tree jumps straight to the next such line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SmallestLines(LineCountTree tree, int eligible, Span<int> best)
    {
        Span<int> bestCount = stackalloc int[CandidateLines];
        int found = 0;
        int from = 0;
        while (found < CandidateLines)
        {
            int i = tree.FindFirstBelow(from, eligible);
            if (i < 0)
            {
                return found;
            }

            best[found] = i;
            bestCount[found] = tree[i];
            found++;
            from = i + 1;
        }

        int worst = WorstSlot(bestCount);
        while (true)
        {
            int i = tree.FindFirstBelow(from, bestCount[worst]);
            if (i < 0)
            {
                return found;
            }

            best[worst] = i;
            bestCount[worst] = tree[i];
            worst = WorstSlot(bestCount);
            from = i + 1;
        }
    }

    private static int WorstSlot(ReadOnlySpan<int> counts)
    {
        int worst = 0;
        for (int k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[worst])
            {
                worst = k;
            }
        }

        return worst;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Row, int Col) BestPivot(State s, ReadOnlySpan<int> candRows, ReadOnlySpan<int> candCols)
    {
        SparseLinePool<T> rows = s.Rows;
        SparseLinePool<byte> cols = s.Cols;
        int[] rowKeys = rows.Keys;
        T[] rowValues = rows.Values;
        int[] colKeys = cols.Keys;
        int[] colLinks = cols.Links;
        var best = new Choice(AbsoluteThreshold, RelativeThreshold);
        foreach (int r in candRows)
        {
            double rowMax = s.RowMax[r];
            int rowEntries = rows.Count(r);
            int start = rows.Start(r);
            int end = start + rows.Top(r);
            for (int p = start; p < end; p++)
            {
                int c = rowKeys[p];
                if (c >= 0)
                {
                    best.Consider(r, c, TMagnitude.Magnitude(rowValues[p]), rowMax, rowEntries, cols.Count(c));
                }
            }
        }

        foreach (int c in candCols)
        {
            int colEntries = cols.Count(c);
            int start = cols.Start(c);
            int end = start + cols.Top(c);
            for (int p = start; p < end; p++)
            {
                int r = colKeys[p];
                if (r >= 0)
                {
                    T v = rowValues[rows.Start(r) + colLinks[p]];
                    best.Consider(r, c, TMagnitude.Magnitude(v), s.RowMax[r], rows.Count(r), colEntries);
                }
            }
        }

        return (best.Row, best.Col);
    }

    /// <summary>
    /// Sets the largest |entry| of active row <paramref name="r"/> from its entries, and its tree value: its count, or
    /// <see cref="DeadRow"/> when even that entry is under the absolute threshold (or not a number).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UpdateRowMax(State s, int r)
    {
        SparseLinePool<T> rows = s.Rows;
        int[] keys = rows.Keys;
        T[] values = rows.Values;
        double max = 0;
        int start = rows.Start(r);
        int end = start + rows.Top(r);
        for (int p = start; p < end; p++)
        {
            if (keys[p] >= 0)
            {
                max = Math.Max(max, TMagnitude.Magnitude(values[p]));
            }
        }

        SetRowMax(s, r, max);
    }

    private void SetRowMax(State s, int r, double max)
    {
        s.RowMax[r] = max;
        s.RowTree.Set(r, max >= AbsoluteThreshold ? s.Rows.Count(r) : DeadRow);
    }

    /// <summary>
    /// No pivot anywhere: the first active column with no entry at or above the absolute threshold (one holding a NaN
    /// counts: it names the unknown whose equations broke), else the first active column.
    /// </summary>
    private int SingularColumn(State s)
    {
        SparseLinePool<T> rows = s.Rows;
        SparseLinePool<byte> cols = s.Cols;
        int[] colKeys = cols.Keys;
        int[] colLinks = cols.Links;
        T[] rowValues = rows.Values;
        int firstActive = -1;
        for (int c = 0; c < _n; c++)
        {
            if (s.ColTree[c] == int.MaxValue)
            {
                continue;
            }

            firstActive = firstActive < 0 ? c : firstActive;
            double max = 0;
            int start = cols.Start(c);
            int end = start + cols.Top(c);
            for (int p = start; p < end; p++)
            {
                int r = colKeys[p];
                if (r >= 0)
                {
                    max = Math.Max(max, TMagnitude.Magnitude(rowValues[rows.Start(r) + colLinks[p]]));
                }
            }

            if (!(max >= AbsoluteThreshold))
            {
                return c;
            }
        }

        return firstActive;
    }

    /// <summary>
    /// Eliminates column <paramref name="pc"/> below pivot row <paramref name="pr"/>: every other row with an entry
    /// in the column gets the multiple of the pivot row subtracted, fill-in appended in pivot-row order; then the pivot
    /// row and column retire, the changed column counts go to the column tree, and each changed row's maximum and count
    /// (or <see cref="DeadRow"/>) to the row tree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Eliminate(State s, int pr, int pc)
    {
        SparseLinePool<T> rows = s.Rows;
        SparseLinePool<byte> cols = s.Cols;
        s.RowTree.Set(pr, int.MaxValue);
        s.ColTree.Set(pc, int.MaxValue);

        // Snapshot of the pivot row in position order, scattered by column.
        int step = s.Step;
        int length = rows.Count(pr);
        s.EnsurePivotRoom(length);
        int[] pCols = s.PivotCols;
        T[] pValues = s.PivotValues;
        int[] pColPos = s.PivotColPos;
        int[] rowKeys = rows.Keys;
        int[] rowLinks = rows.Links;
        T[] rowValues = rows.Values;
        int plen = 0;
        T pivot = default;
        int start = rows.Start(pr);
        int end = start + rows.Top(pr);
        for (int p = start; p < end; p++)
        {
            int c = rowKeys[p];
            if (c < 0)
            {
                continue;
            }

            pCols[plen] = c;
            pValues[plen] = rowValues[p];
            pColPos[plen] = rowLinks[p];
            s.Mark[c] = step;
            s.MarkIndex[c] = plen;
            if (c == pc)
            {
                pivot = rowValues[p];
            }

            plen++;
        }

        s.AddUpper(pCols.AsSpan(0, plen));

        // Rows to eliminate: column pc in position order, with pc's position in each.
        int[] colKeys = cols.Keys;
        int[] colLinks = cols.Links;
        int elimCount = 0;
        s.EnsureElimRoom(cols.Count(pc));
        start = cols.Start(pc);
        end = start + cols.Top(pc);
        for (int p = start; p < end; p++)
        {
            int r = colKeys[p];
            if (r >= 0 && r != pr)
            {
                s.ElimRows[elimCount] = r;
                s.ElimPos[elimCount] = colLinks[p];
                elimCount++;
            }
        }

        int[] hit = s.Hit;
        for (int q = 0; q < elimCount; q++)
        {
            int i = s.ElimRows[q];
            rowValues = rows.Values;
            rowKeys = rows.Keys;
            int rs = rows.Start(i);
            T l = rowValues[rs + s.ElimPos[q]] / pivot;
            rows.Remove(i, s.ElimPos[q]);
            s.AddLower(i, pc);

            // Entries the row already has: update in place, and remember which pivot-row columns it had. The row's
            // largest magnitude is taken on the way (every entry is visited here anyway).
            int hitStamp = ++s.HitStamp;
            int re = rs + rows.Top(i);
            double max = 0;
            for (int p = rs; p < re; p++)
            {
                int c = rowKeys[p];
                if (c < 0)
                {
                    continue;
                }

                if (s.Mark[c] == step)
                {
                    int t = s.MarkIndex[c];
                    rowValues[p] -= l * pValues[t];
                    hit[t] = hitStamp;
                }

                max = Math.Max(max, TMagnitude.Magnitude(rowValues[p]));
            }

            // Fill-in stays structural even if it later cancels to zero, so refactors see a fixed pattern.
            for (int t = 0; t < plen; t++)
            {
                int j = pCols[t];
                if (j == pc || hit[t] == hitStamp)
                {
                    continue;
                }

                T fill = -(l * pValues[t]);
                max = Math.Max(max, TMagnitude.Magnitude(fill));
                int inRow = rows.Add(i, j, -1, fill);
                rows.SetLink(i, inRow, cols.Add(j, i, inRow, 0));
            }

            SetRowMax(s, i, max);
        }

        // The pivot row leaves every column it touched.
        for (int t = 0; t < plen; t++)
        {
            int j = pCols[t];
            cols.Remove(j, pColPos[t]);
            if (j != pc)
            {
                s.ColTree.Set(j, cols.Count(j));
            }
        }
    }
}

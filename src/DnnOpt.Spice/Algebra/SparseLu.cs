using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Algebra;

/// <summary>Outcome of a factorisation.</summary>
internal enum LuStatus
{
    /// <summary>Factors are ready for <see cref="SparseLu.Solve"/>.</summary>
    Ok,

    /// <summary>No acceptable pivot remains: the matrix is (numerically) singular.</summary>
    Singular,
}

/// <summary>Result of <see cref="SparseLu.Factor"/>: status and, when singular, the unknown (column) that had no pivot.</summary>
internal readonly record struct LuResult(LuStatus Status, int Unknown);

/// <summary>
/// Sparse real LU for MNA matrices. The first factorisation chooses pivots by the Markowitz criterion (fewest
/// fill-ins) among entries that pass threshold partial pivoting, and fixes the fill pattern of L and U (symbolic
/// analysis). Later factorisations reuse that order and pattern with only arithmetic (no allocation); the order is
/// chosen afresh only when a reused pivot falls under the absolute threshold (or the caller invalidates it, e.g. after
/// a failed Newton solve). This is the scheme of Kundert's Sparse 1.3 as SPICE3 uses it (spFactor re-checks no
/// relative threshold), with row-oriented (Doolittle, IKJ) elimination as in KLU's refactor.
/// </summary>
/// <remarks>
/// The kernels (refactorisation, solve, the ordering's search and elimination) are compiled optimised at their first
/// call (<see cref="MethodImplOptions.AggressiveOptimization"/>): they make no virtual calls for profile-guided
/// optimisation to help, and in tier-0 code a process's first operating point of a 1k-MOSFET chain ran several times
/// slower than its later ones (see the Spice README, "JIT").
/// </remarks>
internal sealed partial class SparseLu
{
    private readonly int _n;
    private readonly int[] _elementRows;
    private readonly int[] _elementCols;

    // Permuted CSR of L+U (unit diagonal of L implicit): row k holds L entries (cols < k), pivot (col k), U entries.
    private int[] _rowPtr = [];
    private int[] _colIdx = [];
    private int[] _diag = [];
    private int[] _elementPos = [];
    private int[] _rowOrder = [];
    private int[] _colOrder = [];
    private double[] _lu = [];
    private readonly double[] _work;
    private readonly double[] _y;
    private bool _ordered;
    private LuPattern? _pattern;

    /// <summary>Creates the solver for a fixed pattern.</summary>
    /// <param name="size">Number of unknowns.</param>
    /// <param name="elementRows">Row of each slot.</param>
    /// <param name="elementCols">Column of each slot.</param>
    /// <exception cref="ArgumentException">A slot is out of range, or two slots share a (row, column).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SparseLu(int size, IReadOnlyList<int> elementRows, IReadOnlyList<int> elementCols)
    {
        _n = size;
        _elementRows = [.. elementRows];
        _elementCols = [.. elementCols];
        ValidateSlots(size, _elementRows, _elementCols);
        _work = new double[size];
        _y = new double[size];
    }

    /// <summary>Every slot in range and each (row, column) once: the ordering keeps one entry per position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ValidateSlots(int n, int[] rows, int[] cols)
    {
        if (rows.Length != cols.Length)
        {
            throw new ArgumentException("one row and one column per slot are required", nameof(cols));
        }

        var start = new int[n + 1];
        for (int e = 0; e < rows.Length; e++)
        {
            if ((uint)rows[e] >= (uint)n || (uint)cols[e] >= (uint)n)
            {
                throw new ArgumentException($"slot {e} ({rows[e]}, {cols[e]}) is outside a {n} x {n} matrix", nameof(rows));
            }

            start[rows[e] + 1]++;
        }

        for (int r = 0; r < n; r++)
        {
            start[r + 1] += start[r];
        }

        var byRow = new int[rows.Length];
        for (int e = 0; e < rows.Length; e++)
        {
            byRow[start[rows[e]]++] = e;
        }

        var seen = new int[n];
        Array.Fill(seen, -1);
        for (int q = 0; q < byRow.Length; q++)
        {
            int e = byRow[q];
            if (seen[cols[e]] == rows[e])
            {
                throw new ArgumentException($"two slots share ({rows[e]}, {cols[e]})", nameof(rows));
            }

            seen[cols[e]] = rows[e];
        }
    }

    /// <summary>
    /// Relative pivot threshold of the ordering: a pivot must be at least this fraction of the largest entry in its row
    /// when the order is chosen (at most 1: the ordering relies on a row's largest entry passing). Refactorisation does
    /// not re-test it (see <see cref="Refactor"/>).
    /// </summary>
    public double RelativeThreshold { get; set; } = 1e-3;

    /// <summary>Absolute pivot threshold (ngspice <c>pivtol</c>).</summary>
    public double AbsoluteThreshold { get; set; } = 1e-13;

    /// <summary>Number of unknowns.</summary>
    public int Size => _n;

    /// <summary>How many times the pivot order was chosen (1 after the first factorisation if values behave).</summary>
    public int OrderingCount { get; private set; }

    /// <summary>Nonzeros in L+U including fill.</summary>
    public int FactorNonzeros => _colIdx.Length;

    /// <summary>Forces the next <see cref="Factor"/> to choose the pivot order again.</summary>
    public void InvalidateOrdering() => _ordered = false;

    /// <summary>Factorises the matrix whose slot values are <paramref name="values"/>.</summary>
    /// <param name="values">One value per slot, in slot order.</param>
    /// <returns>Ok, or Singular with the unknown that has no usable pivot.</returns>
    public LuResult Factor(ReadOnlySpan<double> values)
    {
        if (values.Length != _elementRows.Length)
        {
            throw new ArgumentException("one value per slot is required", nameof(values));
        }

        if (_ordered && Refactor(values))
        {
            return new LuResult(LuStatus.Ok, -1);
        }

        LuResult r = Order(values);
        if (r.Status != LuStatus.Ok)
        {
            _ordered = false;
            return r;
        }

        _ordered = true;

        // The ordering pass already eliminated with these values; refactor once more so L and U come from the same
        // arithmetic path every time (keeps results independent of when a reordering happened).
        return Refactor(values) ? new LuResult(LuStatus.Ok, -1) : new LuResult(LuStatus.Singular, FindWeakColumn(values));
    }

    /// <summary>Solves A x = b in place using the current factors.</summary>
    /// <param name="rhs">On entry b (by row/equation), on exit x (by unknown).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(Span<double> rhs)
    {
        if (rhs.Length != _n)
        {
            throw new ArgumentException("right-hand side length differs from the matrix size", nameof(rhs));
        }

        Span<double> y = _y;
        ReadOnlySpan<int> rowPtr = _rowPtr;
        ReadOnlySpan<int> colIdx = _colIdx;
        ReadOnlySpan<int> diag = _diag;
        ReadOnlySpan<double> lu = _lu;
        for (int k = 0; k < _n; k++)
        {
            y[k] = rhs[_rowOrder[k]];
        }

        for (int k = 0; k < _n; k++)
        {
            double s = y[k];
            for (int p = rowPtr[k]; p < diag[k]; p++)
            {
                s -= lu[p] * y[colIdx[p]];
            }

            y[k] = s;
        }

        for (int k = _n - 1; k >= 0; k--)
        {
            double s = y[k];
            int end = rowPtr[k + 1];
            for (int p = diag[k] + 1; p < end; p++)
            {
                s -= lu[p] * y[colIdx[p]];
            }

            y[k] = s / lu[diag[k]];
        }

        for (int k = 0; k < _n; k++)
        {
            rhs[_colOrder[k]] = y[k];
        }
    }

    /// <summary>
    /// Numeric factorisation with the fixed order; false when a pivot is under the absolute threshold. Newton's
    /// matrices change every iteration as devices move between regions, and a relative test here re-chose the order
    /// about four times per operating point on circuits whose MOSFETs have gate-capacitance slots (structurally present,
    /// zero at DC), each time at the cost of a full Markowitz search, with no gain in the converged answer: Newton
    /// re-linearises and corrects a slightly less accurate step. SPICE3's spFactor behaves the same way. (Re-ordering
    /// after every overflowing solve as well was tried: on a 10,000-MOSFET chain it re-chose the order five times in
    /// one operating point, at ~1 s each, for no gain in convergence.)
    /// </summary>
    private bool Refactor(ReadOnlySpan<double> values) =>
        BlockedEntries > 0 && BlockUpdates ? Refactor<WithRuns>(values) : Refactor<RowByRow>(values);

    /// <summary>
    /// <see cref="Refactor(ReadOnlySpan{double})"/> specialised by the JIT per <typeparamref name="TMode"/>: a pattern
    /// without runs gets the row-by-row loop with no run look-up compiled in (the look-up alone cost the 10k BSIM3
    /// chain's refactorisation 10-15 %).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Refactor<TMode>(ReadOnlySpan<double> values)
        where TMode : struct, IRefactorMode
    {
        Span<double> lu = _lu;
        Span<double> work = _work;
        ReadOnlySpan<int> rowPtr = _rowPtr;
        ReadOnlySpan<int> colIdx = _colIdx;
        ReadOnlySpan<int> diag = _diag;
        ReadOnlySpan<bool> usesRuns = _usesRuns;
        ReadOnlySpan<int> runLength = _runLength;
        lu.Clear();
        ReadOnlySpan<int> pos = _elementPos;
        for (int e = 0; e < pos.Length; e++)
        {
            lu[pos[e]] = values[e];
        }

        double abs = AbsoluteThreshold;
        for (int k = 0; k < _n; k++)
        {
            int start = rowPtr[k];
            int end = rowPtr[k + 1];
            int d = diag[k];
            for (int p = start; p < end; p++)
            {
                work[colIdx[p]] = lu[p];
            }

            bool blocked = TMode.Blocked && usesRuns[k];
            for (int p = start; p < d; p++)
            {
                int j = colIdx[p];
                if (blocked)
                {
                    int m = Math.Min(runLength[j], k - j);
                    if (m >= MinBlockRows)
                    {
                        // Row k's L entries j..j+m-1 (eliminating with row j filled them): one block update.
                        Debug.Assert(colIdx[p + m - 1] == j + m - 1, "a run's rows are consecutive L entries");
                        UpdateByRun(work, j, m);
                        p += m - 1;
                        continue;
                    }
                }

                double l = work[j] / lu[diag[j]];
                work[j] = l;
                if (l == 0)
                {
                    continue;
                }

                int jEnd = rowPtr[j + 1];
                for (int q = diag[j] + 1; q < jEnd; q++)
                {
                    work[colIdx[q]] -= l * lu[q];
                }
            }

            for (int p = start; p < end; p++)
            {
                int c = colIdx[p];
                lu[p] = work[c];
                work[c] = 0;
            }

            if (!(Math.Abs(lu[d]) >= abs))
            {
                // Leave the work vector clean for the next attempt.
                work.Clear();
                return false;
            }
        }

        return true;
    }
}

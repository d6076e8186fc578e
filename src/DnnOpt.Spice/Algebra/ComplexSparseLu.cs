using System.Numerics;

namespace DnnOpt.Spice.Algebra;

/// <summary>
/// Sparse complex LU for the small-signal (AC, noise) systems G + jωC. It starts from the real LU's pivot order and
/// fill pattern (same slots, same topology) so no symbolic work is repeated per frequency; each frequency point is a
/// numeric refactorisation only. When a reused pivot fails the threshold test with the complex values (typically at
/// high frequency, where jωC dominates rows whose DC pivots were conductances) the order is chosen afresh with the
/// complex values by the same Markowitz procedure as the real LU, and kept for the following points.
/// Also solves the transposed system (the adjoint network of the noise analysis) with the same factors.
/// </summary>
internal sealed class ComplexSparseLu
{
    private readonly SparseLu _real;
    private readonly int _n;
    private readonly Complex[] _work;
    private readonly Complex[] _y;
    private LuPattern? _pattern;
    private Complex[] _lu = [];
    private Complex[] _inversePivot;

    // Kept between orderings so its work arrays are reused; made again if the thresholds change.
    private MarkowitzOrdering<Complex, ComplexMagnitude>? _ordering;
    private (double Absolute, double Relative) _orderingThresholds;

    /// <summary>Creates the complex solver for the real solver's matrix pattern.</summary>
    /// <param name="real">The real LU of the same matrix pattern (its ordering is reused when available).</param>
    public ComplexSparseLu(SparseLu real)
    {
        _real = real;
        _n = real.Size;
        _work = new Complex[_n];
        _y = new Complex[_n];
        _inversePivot = new Complex[_n];
    }

    /// <summary>Relative pivot threshold (as the real LU's).</summary>
    public double RelativeThreshold => _real.RelativeThreshold;

    /// <summary>Absolute pivot threshold (as the real LU's).</summary>
    public double AbsoluteThreshold => _real.AbsoluteThreshold;

    /// <summary>Number of unknowns.</summary>
    public int Size => _n;

    /// <summary>How many times this solver chose its own pivot order (0 while the real order serves).</summary>
    public int OrderingCount { get; private set; }

    /// <summary>Factorises the complex matrix whose slot values are <paramref name="values"/>.</summary>
    /// <param name="values">One value per slot, in slot order.</param>
    /// <returns>Ok, or Singular with the unknown that has no usable pivot.</returns>
    public LuResult Factor(ReadOnlySpan<Complex> values)
    {
        if (values.Length != _real.ElementRows.Length)
        {
            throw new ArgumentException("one value per slot is required", nameof(values));
        }

        if (_pattern is null && _real.Pattern is LuPattern adopted)
        {
            Install(adopted);
        }

        if (_pattern is not null && Refactor(values))
        {
            return new LuResult(LuStatus.Ok, -1);
        }

        OrderingCount++;
        if (_ordering is null || _orderingThresholds != (AbsoluteThreshold, RelativeThreshold))
        {
            _ordering = new MarkowitzOrdering<Complex, ComplexMagnitude>(_n, _real.ElementRows, _real.ElementColumns, AbsoluteThreshold, RelativeThreshold);
            _orderingThresholds = (AbsoluteThreshold, RelativeThreshold);
        }

        LuResult r = _ordering.Order(values, out LuPattern? pattern);
        if (pattern is null)
        {
            _pattern = null;
            return r;
        }

        Install(pattern);
        return Refactor(values) ? new LuResult(LuStatus.Ok, -1) : new LuResult(LuStatus.Singular, pattern.ColOrder[^1]);
    }

    private void Install(LuPattern pattern)
    {
        _pattern = pattern;
        if (_lu.Length != pattern.ColIdx.Length)
        {
            _lu = new Complex[pattern.ColIdx.Length];
        }
    }

    /// <summary>Solves A x = b in place with the current factors.</summary>
    /// <param name="rhs">On entry b (by equation), on exit x (by unknown).</param>
    public void Solve(Span<Complex> rhs)
    {
        LuPattern p = _pattern ?? throw new InvalidOperationException("factor first");
        if (rhs.Length != _n)
        {
            throw new ArgumentException("right-hand side length differs from the matrix size", nameof(rhs));
        }

        Span<Complex> y = _y;
        ReadOnlySpan<int> rowPtr = p.RowPtr;
        ReadOnlySpan<int> colIdx = p.ColIdx;
        ReadOnlySpan<int> diag = p.Diag;
        ReadOnlySpan<int> rowOrder = p.RowOrder;
        ReadOnlySpan<int> colOrder = p.ColOrder;
        ReadOnlySpan<Complex> lu = _lu;
        ReadOnlySpan<Complex> inv = _inversePivot;
        for (int k = 0; k < _n; k++)
        {
            y[k] = rhs[rowOrder[k]];
        }

        for (int k = 0; k < _n; k++)
        {
            Complex s = y[k];
            for (int q = rowPtr[k]; q < diag[k]; q++)
            {
                s -= lu[q] * y[colIdx[q]];
            }

            y[k] = s;
        }

        for (int k = _n - 1; k >= 0; k--)
        {
            Complex s = y[k];
            int end = rowPtr[k + 1];
            for (int q = diag[k] + 1; q < end; q++)
            {
                s -= lu[q] * y[colIdx[q]];
            }

            y[k] = s * inv[k];
        }

        for (int k = 0; k < _n; k++)
        {
            rhs[colOrder[k]] = y[k];
        }
    }

    /// <summary>
    /// Solves the transposed system Aᵀ x = b (not conjugated) in place with the current factors: with the permuted
    /// factors M = L U, Aᵀ x = b becomes Uᵀ (Lᵀ w) = b permuted by columns, a forward pass over U by rows followed by a
    /// backward pass over L by rows.
    /// </summary>
    /// <param name="rhs">On entry b (indexed by unknown), on exit x (indexed by equation).</param>
    public void SolveTransposed(Span<Complex> rhs)
    {
        LuPattern p = _pattern ?? throw new InvalidOperationException("factor first");
        if (rhs.Length != _n)
        {
            throw new ArgumentException("right-hand side length differs from the matrix size", nameof(rhs));
        }

        Span<Complex> y = _y;
        ReadOnlySpan<int> rowPtr = p.RowPtr;
        ReadOnlySpan<int> colIdx = p.ColIdx;
        ReadOnlySpan<int> diag = p.Diag;
        ReadOnlySpan<int> rowOrder = p.RowOrder;
        ReadOnlySpan<int> colOrder = p.ColOrder;
        ReadOnlySpan<Complex> lu = _lu;
        ReadOnlySpan<Complex> inv = _inversePivot;
        for (int k = 0; k < _n; k++)
        {
            y[k] = rhs[colOrder[k]];
        }

        // Uᵀ v = y: row k of U scatters into the later unknowns once v[k] is known.
        for (int k = 0; k < _n; k++)
        {
            Complex v = y[k] * inv[k];
            y[k] = v;
            int end = rowPtr[k + 1];
            for (int q = diag[k] + 1; q < end; q++)
            {
                y[colIdx[q]] -= lu[q] * v;
            }
        }

        // Lᵀ w = v (unit diagonal): row k of L scatters into the earlier unknowns.
        for (int k = _n - 1; k >= 0; k--)
        {
            Complex w = y[k];
            for (int q = rowPtr[k]; q < diag[k]; q++)
            {
                y[colIdx[q]] -= lu[q] * w;
            }
        }

        for (int k = 0; k < _n; k++)
        {
            rhs[rowOrder[k]] = y[k];
        }
    }

    /// <summary>
    /// Numeric factorisation with the installed order; false when a pivot fails the threshold test. Unlike the real
    /// LU inside Newton, the relative test stays here: an AC or noise point is one linear solve that nothing corrects
    /// afterwards, and the order chosen at one frequency can turn poor decades away as capacitive entries take over.
    /// </summary>
    private bool Refactor(ReadOnlySpan<Complex> values)
    {
        LuPattern p = _pattern!;
        Span<Complex> lu = _lu;
        Span<Complex> work = _work;
        Span<Complex> inv = _inversePivot;
        ReadOnlySpan<int> rowPtr = p.RowPtr;
        ReadOnlySpan<int> colIdx = p.ColIdx;
        ReadOnlySpan<int> diag = p.Diag;
        ReadOnlySpan<int> pos = p.ElementPos;
        lu.Clear();
        for (int e = 0; e < pos.Length; e++)
        {
            lu[pos[e]] += values[e];
        }

        double rel = RelativeThreshold;
        double abs = AbsoluteThreshold;
        for (int k = 0; k < _n; k++)
        {
            int start = rowPtr[k];
            int end = rowPtr[k + 1];
            int d = diag[k];
            for (int q = start; q < end; q++)
            {
                work[colIdx[q]] = lu[q];
            }

            for (int q = start; q < d; q++)
            {
                int j = colIdx[q];
                Complex l = work[j] * inv[j];
                work[j] = l;
                if (l == Complex.Zero)
                {
                    continue;
                }

                int jEnd = rowPtr[j + 1];
                for (int r = diag[j] + 1; r < jEnd; r++)
                {
                    work[colIdx[r]] -= l * lu[r];
                }
            }

            double rowMax = 0;
            for (int q = start; q < end; q++)
            {
                int c = colIdx[q];
                Complex v = work[c];
                lu[q] = v;
                work[c] = Complex.Zero;
                if (q >= d)
                {
                    rowMax = Math.Max(rowMax, ComplexMagnitude.Magnitude(v));
                }
            }

            Complex pivot = lu[d];
            double magnitude = ComplexMagnitude.Magnitude(pivot);
            if (!(magnitude >= abs) || magnitude < rel * rowMax)
            {
                work.Clear();
                return false;
            }

            inv[k] = Complex.One / pivot;
        }

        return true;
    }
}

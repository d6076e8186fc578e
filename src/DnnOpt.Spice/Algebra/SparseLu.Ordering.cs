namespace DnnOpt.Spice.Algebra;

internal sealed partial class SparseLu
{
    // Kept between orderings so its work arrays are reused; made again if the thresholds change.
    private MarkowitzOrdering<double, RealMagnitude>? _ordering;
    private (double Absolute, double Relative) _orderingThresholds;

    /// <summary>
    /// Chooses the pivot order and fill pattern with the current values (<see cref="MarkowitzOrdering{T, TMagnitude}"/>)
    /// and installs the pattern for refactorisation.
    /// </summary>
    private LuResult Order(ReadOnlySpan<double> values)
    {
        OrderingCount++;
        if (_ordering is null || _orderingThresholds != (AbsoluteThreshold, RelativeThreshold))
        {
            _ordering = new MarkowitzOrdering<double, RealMagnitude>(_n, _elementRows, _elementCols, AbsoluteThreshold, RelativeThreshold);
            _orderingThresholds = (AbsoluteThreshold, RelativeThreshold);
        }

        LuResult r = _ordering.Order(values, out LuPattern? pattern);
        if (OrderingCount == 1)
        {
            // Most circuits order once (a chain of 100k BSIM3 MOSFETs kept 130 MB of work arrays for nothing); one that
            // re-orders makes its ordering again on the second call and keeps it from then on (the 2-D arrays re-order
            // 6-8 times per operating point). A fresh instance orders exactly as a reused one.
            _ordering = null;
        }

        if (pattern is not null)
        {
            _pattern = pattern;
            _rowPtr = pattern.RowPtr;
            _colIdx = pattern.ColIdx;
            _diag = pattern.Diag;
            _rowOrder = pattern.RowOrder;
            _colOrder = pattern.ColOrder;
            _elementPos = pattern.ElementPos;
            _lu = new double[_colIdx.Length];
            FindRuns();
        }

        return r;
    }

    /// <summary>The symbolic structure of the current ordering (null before the first factorisation).</summary>
    internal LuPattern? Pattern => _ordered ? _pattern : null;

    /// <summary>Row of every matrix slot.</summary>
    internal int[] ElementRows => _elementRows;

    /// <summary>Column of every matrix slot.</summary>
    internal int[] ElementColumns => _elementCols;

    /// <summary>Picks a column to blame when refactorisation right after ordering still fails (values not finite).</summary>
    private int FindWeakColumn(ReadOnlySpan<double> values)
    {
        for (int e = 0; e < values.Length; e++)
        {
            if (!double.IsFinite(values[e]))
            {
                return _elementCols[e];
            }
        }

        return _colOrder.Length > 0 ? _colOrder[^1] : 0;
    }
}

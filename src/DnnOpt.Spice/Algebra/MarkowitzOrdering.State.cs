using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Algebra;

internal sealed partial class MarkowitzOrdering<T, TMagnitude>
{
    /// <summary>The best candidate so far by (cost, diagonal, ratio to its row maximum); the first one met wins exact ties.</summary>
    private struct Choice(double absoluteThreshold, double relativeThreshold)
    {
        public int Row = -1;
        public int Col = -1;
        private long _cost = long.MaxValue;
        private bool _diagonal;
        private double _ratio;

        public void Consider(int r, int c, double magnitude, double rowMax, int rowEntries, int colEntries)
        {
            if (!(magnitude >= absoluteThreshold) || magnitude < relativeThreshold * rowMax)
            {
                return;
            }

            long cost = (long)(rowEntries - 1) * (colEntries - 1);
            bool diagonal = r == c;
            double ratio = magnitude / rowMax;
            bool better = cost < _cost
                || (cost == _cost && diagonal && !_diagonal)
                || (cost == _cost && diagonal == _diagonal && ratio > _ratio);
            if (better)
            {
                Row = r;
                Col = c;
                _cost = cost;
                _diagonal = diagonal;
                _ratio = ratio;
            }
        }
    }

    /// <summary>The dynamic matrix, count trees, per-step work arrays (grown, never per step) and the L/U pattern record.</summary>
    private sealed class State
    {
        public State(int n, SparseLinePool<T> rows, SparseLinePool<byte> cols, int[] rowCount, int[] colCount)
        {
            Rows = rows;
            Cols = cols;
            RowTree = new LineCountTree(rowCount);
            ColTree = new LineCountTree(colCount);
            RowOrder = new int[n];
            ColOrder = new int[n];
            RowMax = new double[n];
            Mark = new int[n];
            MarkIndex = new int[n];
            UStart = new int[n];
            ULength = new int[n];
        }

        /// <summary>
        /// Starts a new ordering on the same pattern: lines and trees re-laid for the counts, stamps cleared, records
        /// emptied; every array is kept (an ordering allocates only its result).
        /// </summary>
        public void Reset(int[] rowCount, int[] colCount)
        {
            Rows.Reset(rowCount, FillSlack);
            Cols.Reset(colCount, FillSlack);
            RowTree.Reset(rowCount);
            ColTree.Reset(colCount);
            Array.Clear(Mark);
            Array.Clear(Hit);
            HitStamp = 0;
            Step = 0;
            LCount = 0;
            UCount = 0;
        }

        public SparseLinePool<T> Rows { get; }

        public SparseLinePool<byte> Cols { get; }

        public LineCountTree RowTree { get; }

        public LineCountTree ColTree { get; }

        public int[] RowOrder { get; }

        public int[] ColOrder { get; }

        /// <summary>Current step + 1 (stamps below are compared with it, so nothing is cleared per step).</summary>
        public int Step { get; set; }

        /// <summary>
        /// Largest |entry| of every active row, set when the ordering starts and whenever an elimination changes the
        /// row: it decides whether the row is dead, and it is the relative threshold's reference in the pivot search.
        /// </summary>
        public double[] RowMax { get; }

        /// <summary>Column → step whose pivot row holds it, and its index in <see cref="PivotCols"/>.</summary>
        public int[] Mark { get; }

        public int[] MarkIndex { get; }

        public int[] PivotCols { get; private set; } = new int[16];

        public T[] PivotValues { get; private set; } = new T[16];

        public int[] PivotColPos { get; private set; } = new int[16];

        /// <summary>Pivot-row index → stamp of the last eliminated row that already had that column.</summary>
        public int[] Hit { get; private set; } = new int[16];

        public int HitStamp { get; set; }

        public int[] ElimRows { get; private set; } = new int[16];

        public int[] ElimPos { get; private set; } = new int[16];

        public int[] LRow { get; private set; } = new int[64];

        public int[] LCol { get; private set; } = new int[64];

        public int LCount { get; private set; }

        public int[] UCols { get; private set; } = new int[64];

        public int UCount { get; private set; }

        /// <summary>Start and length in <see cref="UCols"/> of the pivot row of each step.</summary>
        public int[] UStart { get; }

        public int[] ULength { get; }

        public void EnsurePivotRoom(int length)
        {
            if (length > PivotCols.Length)
            {
                int size = Math.Max(length, 2 * PivotCols.Length);
                PivotCols = new int[size];
                PivotValues = new T[size];
                PivotColPos = new int[size];
                int[] hit = new int[size];
                Array.Copy(Hit, hit, Hit.Length);
                Hit = hit;
            }
        }

        public void EnsureElimRoom(int length)
        {
            if (length > ElimRows.Length)
            {
                int size = Math.Max(length, 2 * ElimRows.Length);
                ElimRows = new int[size];
                ElimPos = new int[size];
            }
        }

        /// <summary>Records that row <paramref name="row"/> got an L entry in column <paramref name="col"/> (in step order).</summary>
        public void AddLower(int row, int col)
        {
            if (LCount == LRow.Length)
            {
                LRow = Grow(LRow);
                LCol = Grow(LCol);
            }

            LRow[LCount] = row;
            LCol[LCount] = col;
            LCount++;
        }

        /// <summary>Records the columns of this step's pivot row (the U row, pivot included).</summary>
        public void AddUpper(ReadOnlySpan<int> cols)
        {
            int k = Step - 1;
            while (UCount + cols.Length > UCols.Length)
            {
                UCols = Grow(UCols);
            }

            UStart[k] = UCount;
            ULength[k] = cols.Length;
            cols.CopyTo(UCols.AsSpan(UCount));
            UCount += cols.Length;
        }

        private static int[] Grow(int[] a)
        {
            int[] b = new int[2 * a.Length];
            Array.Copy(a, b, a.Length);
            return b;
        }
    }

    /// <summary>The permuted CSR of L+U: row k is the L entries of its original row (step order, i.e. ascending), then its U row sorted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private LuPattern BuildPattern(State s)
    {
        int n = _n;
        int[] rowOrder = s.RowOrder;
        int[] colOrder = s.ColOrder;
        var colPos = new int[n];
        var rowPos = new int[n];
        for (int k = 0; k < n; k++)
        {
            colPos[colOrder[k]] = k;
            rowPos[rowOrder[k]] = k;
        }

        // L entries grouped by original row, keeping their (step) order.
        var lStart = new int[n + 1];
        for (int q = 0; q < s.LCount; q++)
        {
            lStart[s.LRow[q] + 1]++;
        }

        for (int r = 0; r < n; r++)
        {
            lStart[r + 1] += lStart[r];
        }

        var lCols = new int[s.LCount];
        var cursor = (int[])lStart.Clone();
        for (int q = 0; q < s.LCount; q++)
        {
            lCols[cursor[s.LRow[q]]++] = s.LCol[q];
        }

        var rowPtr = new int[n + 1];
        for (int k = 0; k < n; k++)
        {
            int r = rowOrder[k];
            rowPtr[k + 1] = rowPtr[k] + (lStart[r + 1] - lStart[r]) + s.ULength[k];
        }

        var colIdx = new int[rowPtr[n]];
        var diag = new int[n];
        for (int k = 0; k < n; k++)
        {
            int r = rowOrder[k];
            int at = rowPtr[k];
            for (int q = lStart[r]; q < lStart[r + 1]; q++)
            {
                colIdx[at++] = colPos[lCols[q]];
            }

            diag[k] = at;
            for (int q = 0; q < s.ULength[k]; q++)
            {
                colIdx[at++] = colPos[s.UCols[s.UStart[k] + q]];
            }

            Array.Sort(colIdx, diag[k], s.ULength[k]);
        }

        var elementPos = new int[_elementRows.Length];
        for (int e = 0; e < _elementRows.Length; e++)
        {
            int k = rowPos[_elementRows[e]];
            int c = colPos[_elementCols[e]];
            elementPos[e] = Array.BinarySearch(colIdx, rowPtr[k], rowPtr[k + 1] - rowPtr[k], c);
        }

        return new LuPattern(rowPtr, colIdx, diag, rowOrder, colOrder, elementPos);
    }
}

using System.Numerics;
using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Tests.Algebra;

/// <summary>
/// The oracle for <see cref="MarkowitzOrdering{T, TMagnitude}"/>: a plainly written O(n^2) ordering (the engine's
/// former one, every row a <c>Dictionary</c>, every column a <c>HashSet</c>, the sparsest lines found by scanning every
/// line at every step; since dead rows are passed over, changed the same way, and when no candidate passes it checks
/// by a search of every active row that there really is no pivot left, so every test matrix checks that argument). Same candidates, thresholds and tie-breaking by construction; its "first met" order among exact
/// ties is the enumeration order of .NET's Dictionary/HashSet (entries in slot order, freed slots reused last in first
/// out), which the fast ordering states and implements explicitly (<see cref="SparseLinePool{TValue}"/>).
/// </summary>
/// <typeparam name="T">double or Complex.</typeparam>
/// <typeparam name="TMagnitude">How pivots are measured.</typeparam>
internal sealed class ReferenceMarkowitzOrdering<T, TMagnitude>(int size, int[] elementRows, int[] elementCols, double absoluteThreshold, double relativeThreshold)
    where T : struct, INumberBase<T>
    where TMagnitude : IPivotMagnitude<T>
{
    private const int CandidateLines = 4;
    private readonly int _n = size;
    private readonly int[] _elementRows = elementRows;
    private readonly int[] _elementCols = elementCols;

    private double AbsoluteThreshold { get; } = absoluteThreshold;

    /// <summary>Pivots chosen by the last <see cref="Order"/> before it finished or found the matrix singular.</summary>
    public int StepsDone { get; private set; }

    /// <summary>Original row and column of each of those pivots.</summary>
    public (int[] Rows, int[] Cols) LastPivots { get; private set; } = ([], []);

    private double RelativeThreshold { get; } = relativeThreshold;

    /// <summary>
    /// Markowitz pivot selection on a dynamic copy of the matrix: at each step the candidates are the entries of the
    /// few sparsest rows and columns that pass the threshold test; the one with the smallest (r-1)(c-1) product wins,
    /// ties going to diagonal entries (MNA matrices are nearly symmetric) and then to the larger relative magnitude.
    /// Records the pivot sequence and the full fill pattern, then builds the permuted CSR used by refactorisation.
    /// </summary>
    public LuResult Order(ReadOnlySpan<T> values, out LuPattern? pattern)
    {
        pattern = null;
        int n = _n;
        var rows = new Dictionary<int, T>[n];
        var colRows = new HashSet<int>[n];
        var lCols = new List<int>[n];
        var uPattern = new int[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = [];
            colRows[i] = [];
            lCols[i] = [];
        }

        for (int e = 0; e < _elementRows.Length; e++)
        {
            int r = _elementRows[e];
            int c = _elementCols[e];
            rows[r][c] = values[e];
            colRows[c].Add(r);
        }

        var rowCount = new int[n];
        var colCount = new int[n];
        for (int i = 0; i < n; i++)
        {
            rowCount[i] = rows[i].Count;
            colCount[i] = colRows[i].Count;
        }

        var rowDone = new bool[n];
        var rowDead = new bool[n];
        var colDone = new bool[n];
        var rowOrder = new int[n];
        var colOrder = new int[n];
        var candRows = new List<int>(CandidateLines);
        var candCols = new List<int>(CandidateLines);
        var elim = new List<int>();
        for (int k = 0; k < n; k++)
        {
            // A dead row (every entry under the absolute threshold) is not a candidate row; a live candidate row always
            // holds a passing entry, so when nothing passes no live row is left and the matrix is singular.
            for (int r = 0; r < n; r++)
            {
                rowDead[r] = !rowDone[r] && !(RowMax(rows[r]) >= AbsoluteThreshold);
            }

            SmallestLines(rowCount, rowDone, rowDead, candRows);
            SmallestLines(colCount, colDone, colDone, candCols);
            (int pr, int pc) = BestPivot(rows, colRows, candRows, candCols);
            if (pr < 0)
            {
                List<int> every = [.. Enumerable.Range(0, n).Where(r => !rowDone[r])];
                if (BestPivot(rows, colRows, every, []).Row >= 0)
                {
                    throw new InvalidOperationException($"step {k}: no candidate passed, yet a row outside the sparsest live ones holds a pivot");
                }

                StepsDone = k;
                LastPivots = (rowOrder[..k], colOrder[..k]);
                for (int c = 0; c < n; c++)
                {
                    if (!colDone[c])
                    {
                        double max = 0;
                        foreach (int r in colRows[c])
                        {
                            max = Math.Max(max, TMagnitude.Magnitude(rows[r][c]));
                        }

                        if (!(max >= AbsoluteThreshold))
                        {
                            return new LuResult(LuStatus.Singular, c);
                        }
                    }
                }

                for (int c = 0; c < n; c++)
                {
                    if (!colDone[c])
                    {
                        return new LuResult(LuStatus.Singular, c);
                    }
                }
            }

            rowOrder[k] = pr;
            colOrder[k] = pc;
            rowDone[pr] = true;
            colDone[pc] = true;
            Dictionary<int, T> pivotRow = rows[pr];
            T pivot = pivotRow[pc];
            elim.Clear();
            foreach (int r in colRows[pc])
            {
                if (r != pr)
                {
                    elim.Add(r);
                }
            }

            foreach (int i in elim)
            {
                Dictionary<int, T> row = rows[i];
                T l = row[pc] / pivot;
                row.Remove(pc);
                lCols[i].Add(pc);
                foreach (KeyValuePair<int, T> kv in pivotRow)
                {
                    if (kv.Key == pc)
                    {
                        continue;
                    }

                    if (row.TryGetValue(kv.Key, out T old))
                    {
                        row[kv.Key] = old - (l * kv.Value);
                    }
                    else
                    {
                        // Fill-in stays structural even if it later cancels to zero, so refactors see a fixed pattern.
                        row[kv.Key] = -(l * kv.Value);
                        colRows[kv.Key].Add(i);
                        colCount[kv.Key]++;
                    }
                }
            }

            uPattern[pr] = [.. pivotRow.Keys];
            foreach (int j in pivotRow.Keys)
            {
                colRows[j].Remove(pr);
                colCount[j] = colRows[j].Count;
            }

            colRows[pc].Clear();
            colCount[pc] = 0;
            foreach (int i in elim)
            {
                rowCount[i] = rows[i].Count;
            }
        }

        StepsDone = n;
        LastPivots = (rowOrder, colOrder);
        pattern = BuildPattern(rowOrder, colOrder, lCols, uPattern);
        return new LuResult(LuStatus.Ok, -1);
    }

    /// <summary>The (up to) <see cref="CandidateLines"/> active lines with the fewest entries, in one pass, passing over excluded ones.</summary>
    private static void SmallestLines(int[] counts, bool[] done, bool[] excluded, List<int> result)
    {
        result.Clear();
        Span<int> best = stackalloc int[CandidateLines];
        Span<int> bestCount = stackalloc int[CandidateLines];
        int found = 0;
        int worst = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (done[i] || excluded[i])
            {
                continue;
            }

            int c = counts[i];
            if (found < CandidateLines)
            {
                best[found] = i;
                bestCount[found] = c;
                found++;
                if (found == CandidateLines)
                {
                    worst = WorstSlot(bestCount);
                }
            }
            else if (c < bestCount[worst])
            {
                best[worst] = i;
                bestCount[worst] = c;
                worst = WorstSlot(bestCount);
            }
        }

        for (int k = 0; k < found; k++)
        {
            result.Add(best[k]);
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

    private (int Row, int Col) BestPivot(Dictionary<int, T>[] rows, HashSet<int>[] colRows, List<int> candRows, List<int> candCols)
    {
        int bestR = -1;
        int bestC = -1;
        long bestCost = long.MaxValue;
        bool bestDiag = false;
        double bestRatio = 0;

        void Consider(int r, int c, T v, double rowMax)
        {
            double a = TMagnitude.Magnitude(v);
            if (!(a >= AbsoluteThreshold) || a < RelativeThreshold * rowMax)
            {
                return;
            }

            long cost = (long)(rows[r].Count - 1) * (colRows[c].Count - 1);
            bool diag = r == c;
            double ratio = a / rowMax;
            bool better = cost < bestCost
                || (cost == bestCost && diag && !bestDiag)
                || (cost == bestCost && diag == bestDiag && ratio > bestRatio);
            if (better)
            {
                bestR = r;
                bestC = c;
                bestCost = cost;
                bestDiag = diag;
                bestRatio = ratio;
            }
        }

        foreach (int r in candRows)
        {
            double rowMax = RowMax(rows[r]);
            foreach (KeyValuePair<int, T> kv in rows[r])
            {
                Consider(r, kv.Key, kv.Value, rowMax);
            }
        }

        foreach (int c in candCols)
        {
            foreach (int r in colRows[c])
            {
                Consider(r, c, rows[r][c], RowMax(rows[r]));
            }
        }

        return (bestR, bestC);
    }

    private static double RowMax(Dictionary<int, T> row)
    {
        double max = 0;
        foreach (T v in row.Values)
        {
            max = Math.Max(max, TMagnitude.Magnitude(v));
        }

        return max;
    }

    private LuPattern BuildPattern(int[] rowOrder, int[] colOrder, List<int>[] lCols, int[][] uPattern)
    {
        int n = _n;
        var colPos = new int[n];
        var rowPos = new int[n];
        for (int k = 0; k < n; k++)
        {
            colPos[colOrder[k]] = k;
            rowPos[rowOrder[k]] = k;
        }

        var rowPtr = new int[n + 1];
        var cols = new List<int>();
        var diag = new int[n];
        var scratch = new List<int>();
        for (int k = 0; k < n; k++)
        {
            int r = rowOrder[k];
            scratch.Clear();
            foreach (int c in lCols[r])
            {
                scratch.Add(colPos[c]);
            }

            foreach (int c in uPattern[r])
            {
                scratch.Add(colPos[c]);
            }

            scratch.Sort();
            rowPtr[k] = cols.Count;
            foreach (int c in scratch)
            {
                if (c == k)
                {
                    diag[k] = cols.Count;
                }

                cols.Add(c);
            }
        }

        rowPtr[n] = cols.Count;
        int[] colIdx = [.. cols];
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

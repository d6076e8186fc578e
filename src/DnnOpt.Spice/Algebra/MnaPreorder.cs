namespace DnnOpt.Spice.Algebra;

/// <summary>
/// The diagonal of an MNA matrix as Kundert's Sparse 1.3 sees it after <c>spMNA_Preorder</c>, which ngspice runs
/// once, after the first load of a circuit. A branch column with no structural diagonal (a voltage source, E or H)
/// is swapped with the column of a node that is its "twin": the node row holds ±1 in the branch column and the branch
/// row holds ±1 in the node column. Afterwards the diagonal of the branch row is its KVL entry (branch, node) and
/// the diagonal of the node row is its KCL entry (node, branch); the node's own conductance sum is off the diagonal.
/// </summary>
/// <remarks>
/// This matters because ngspice's LoadGmin (spsmp.c) adds the diagonal gmin of gmin and source stepping to every
/// diagonal element of that matrix, not to the node rows: a grounded source <c>v1 a 0 V</c> becomes
/// (1 + g)·v(a) = V, and node a gets no gmin to ground. On the LDO benchmark's hard designs adding it to the node
/// rows instead made dynamic gmin stepping fail a step that ngspice passes (256 against 153 Newton iterations).
/// The passes follow the published algorithm (Sparse 1.3, sputils.c): first every column with a lone twin is swapped;
/// when some column has several twins, one such column (the first, from where the first one was met) is swapped with
/// its first twin (lowest row) and the passes start again. Sparse's later pivoting keeps this diagonal unless no
/// diagonal pivot is acceptable; those off-diagonal pivots are not followed here.
/// </remarks>
internal static class MnaPreorder
{
    /// <summary>
    /// The slot of every diagonal element after the preorder, in row order (rows without one are left out).
    /// </summary>
    /// <param name="size">Number of unknowns.</param>
    /// <param name="rows">Row of every slot.</param>
    /// <param name="cols">Column of every slot.</param>
    /// <param name="values">Slot values of a load (only exact ±1 entries matter, as in Sparse's twin test).</param>
    /// <returns>Slot indices, one per row that has a diagonal.</returns>
    public static int[] DiagonalSlots(int size, ReadOnlySpan<int> rows, ReadOnlySpan<int> cols, ReadOnlySpan<double> values)
    {
        if (rows.Length != cols.Length || values.Length != rows.Length)
        {
            throw new ArgumentException("one row, column and value per slot are required", nameof(values));
        }

        // Slots by column (rows ascending, the order Sparse keeps a column in) and by row.
        int[] colStart = CountingSort(size, cols, rows, out int[] byCol);
        int[] rowStart = CountingSort(size, rows, cols, out int[] byRow);
        var colAt = new int[size];
        for (int i = 0; i < size; i++)
        {
            colAt[i] = i;
        }

        int startAt = 0;
        bool anotherPass;
        do
        {
            anotherPass = false;
            bool swapped = false;
            for (int j = startAt; j < size; j++)
            {
                if (Find(j, colAt[j], rowStart, byRow, cols) >= 0)
                {
                    continue;
                }

                int twins = CountTwins(j, colAt, colStart, byCol, rows, rowStart, byRow, cols, values, out int twin);
                if (twins == 1)
                {
                    (colAt[j], colAt[twin]) = (colAt[twin], colAt[j]);
                    swapped = true;
                }
                else if (twins > 1 && !anotherPass)
                {
                    anotherPass = true;
                    startAt = j;
                }
            }

            if (anotherPass)
            {
                for (int j = startAt; !swapped && j < size; j++)
                {
                    if (Find(j, colAt[j], rowStart, byRow, cols) >= 0)
                    {
                        continue;
                    }

                    if (CountTwins(j, colAt, colStart, byCol, rows, rowStart, byRow, cols, values, out int twin) > 0)
                    {
                        (colAt[j], colAt[twin]) = (colAt[twin], colAt[j]);
                        swapped = true;
                    }
                }
            }
        }
        while (anotherPass);

        var diagonal = new List<int>(size);
        for (int i = 0; i < size; i++)
        {
            int slot = Find(i, colAt[i], rowStart, byRow, cols);
            if (slot >= 0)
            {
                diagonal.Add(slot);
            }
        }

        return [.. diagonal];
    }

    /// <summary>
    /// Sparse's CountTwins: entries of magnitude exactly 1 in column <paramref name="j"/> (at row r) whose mirror (row
    /// j, column r) also has magnitude 1. Stops at the second; <paramref name="first"/> is the first (lowest row).
    /// </summary>
    private static int CountTwins(int j, int[] colAt, int[] colStart, int[] byCol, ReadOnlySpan<int> rows, int[] rowStart, int[] byRow, ReadOnlySpan<int> cols, ReadOnlySpan<double> values, out int first)
    {
        first = -1;
        int twins = 0;
        int c = colAt[j];
        for (int p = colStart[c]; p < colStart[c + 1]; p++)
        {
            int slot = byCol[p];
            if (Math.Abs(values[slot]) != 1.0)
            {
                continue;
            }

            int r = rows[slot];
            int mirror = Find(j, colAt[r], rowStart, byRow, cols);
            if (mirror >= 0 && Math.Abs(values[mirror]) == 1.0)
            {
                if (++twins >= 2)
                {
                    return twins;
                }

                first = r;
            }
        }

        return twins;
    }

    private static int Find(int row, int col, int[] rowStart, int[] byRow, ReadOnlySpan<int> cols)
    {
        for (int p = rowStart[row]; p < rowStart[row + 1]; p++)
        {
            if (cols[byRow[p]] == col)
            {
                return byRow[p];
            }
        }

        return -1;
    }

    /// <summary>Slots grouped by <paramref name="key"/>, ascending <paramref name="within"/> inside a group.</summary>
    private static int[] CountingSort(int size, ReadOnlySpan<int> key, ReadOnlySpan<int> within, out int[] order)
    {
        // Two stable counting passes: by the inner key first, then by the group key.
        int m = key.Length;
        var inner = new int[m];
        var start = new int[size + 1];
        for (int e = 0; e < m; e++)
        {
            start[within[e] + 1]++;
        }

        for (int i = 0; i < size; i++)
        {
            start[i + 1] += start[i];
        }

        for (int e = 0; e < m; e++)
        {
            inner[start[within[e]]++] = e;
        }

        Array.Clear(start);
        for (int e = 0; e < m; e++)
        {
            start[key[e] + 1]++;
        }

        for (int i = 0; i < size; i++)
        {
            start[i + 1] += start[i];
        }

        order = new int[m];
        var next = (int[])start.Clone();
        foreach (int e in inner)
        {
            order[next[key[e]]++] = e;
        }

        return start;
    }
}

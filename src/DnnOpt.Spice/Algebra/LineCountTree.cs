namespace DnnOpt.Spice.Algebra;

/// <summary>
/// Entry counts of the active rows (or columns) under elimination, as a minimum segment tree over the line index, so
/// "the first active line at or after i whose count is below b" costs O(log n) instead of a scan of every line. Done
/// lines hold <see cref="int.MaxValue"/>; a caller may park a line it wants passed over under another value no real
/// count reaches (the Markowitz ordering's dead rows). The Markowitz search asks exactly that question while it walks
/// the lines in index order keeping the few sparsest (<see cref="MarkowitzOrdering{T, TMagnitude}"/>), so it visits
/// only the lines that would change its choice and gets the same answer as the full scan.
/// </summary>
internal sealed class LineCountTree
{
    private readonly int _leaves;
    private readonly int[] _min;

    /// <summary>Creates the tree over <paramref name="counts"/> (every line active).</summary>
    public LineCountTree(ReadOnlySpan<int> counts)
    {
        int leaves = 1;
        while (leaves < counts.Length)
        {
            leaves *= 2;
        }

        _leaves = leaves;
        _min = new int[2 * leaves];
        Reset(counts);
    }

    /// <summary>Every line active again with <paramref name="counts"/> (as many lines as at creation, or fewer).</summary>
    public void Reset(ReadOnlySpan<int> counts)
    {
        Array.Fill(_min, int.MaxValue);
        counts.CopyTo(_min.AsSpan(_leaves));
        for (int v = _leaves - 1; v >= 1; v--)
        {
            _min[v] = Math.Min(_min[2 * v], _min[(2 * v) + 1]);
        }
    }

    /// <summary>The value of <paramref name="line"/>: its count, <see cref="int.MaxValue"/> once done, or a caller's marker.</summary>
    public int this[int line] => _min[_leaves + line];

    /// <summary>Sets the value of <paramref name="line"/> (a count or a caller's marker); <see cref="int.MaxValue"/> retires it.</summary>
    public void Set(int line, int count)
    {
        int v = _leaves + line;
        _min[v] = count;
        for (v >>= 1; v >= 1; v >>= 1)
        {
            int m = Math.Min(_min[2 * v], _min[(2 * v) + 1]);
            if (_min[v] == m)
            {
                // Unchanged here, so unchanged above.
                break;
            }

            _min[v] = m;
        }
    }

    /// <summary>The smallest line index ≥ <paramref name="from"/> whose count is below <paramref name="bound"/>, or -1.</summary>
    public int FindFirstBelow(int from, int bound)
    {
        if (from >= _leaves)
        {
            return -1;
        }

        int v = _leaves + from;
        while (true)
        {
            if (_min[v] < bound)
            {
                while (v < _leaves)
                {
                    v = _min[2 * v] < bound ? 2 * v : (2 * v) + 1;
                }

                return v - _leaves;
            }

            // Climb while v is a right child, then step to the next subtree on the right (none past the root).
            while ((v & 1) == 1)
            {
                v >>= 1;
            }

            if (v == 0)
            {
                return -1;
            }

            v++;
        }
    }
}

using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Algebra;

/// <summary>
/// Collects the nonzero pattern of an MNA matrix while devices are set up. Each distinct (row, column) gets one slot;
/// devices keep the slot numbers and, at every Newton iteration, only add numbers into those slots.
/// </summary>
internal sealed class MatrixStructureBuilder(int size)
{
    // Open addressing over slot numbers: _table holds slot + 1 (0 = empty) and a probe compares the slot's row and column,
    // so a slot costs 8 bytes of table at most half full instead of a Dictionary entry (24 bytes plus a bucket), and
    // a lookup needs no comparer call. Keys are spread by a multiplicative (Fibonacci) mix of row and column: long's
    // own hash, row ^ col, put every (i, i + k) of a banded MNA matrix in a handful of buckets (quadratic, 0.3 s on a
    // 10k-device chain).
    private int[] _table = new int[64];
    private readonly List<int> _rows = [];
    private readonly List<int> _cols = [];

    /// <summary>Number of unknowns.</summary>
    public int Size { get; } = size;

    /// <summary>Number of slots so far.</summary>
    public int Count => _rows.Count;

    /// <summary>Row of every slot.</summary>
    public IReadOnlyList<int> Rows => _rows;

    /// <summary>Column of every slot.</summary>
    public IReadOnlyList<int> Columns => _cols;

    /// <summary>The slot of (row, col); -1 when either is ground (-1), so loads can skip ground with one test.</summary>
    /// <param name="row">Unknown index or -1 for ground.</param>
    /// <param name="col">Unknown index or -1 for ground.</param>
    /// <returns>Slot index or -1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GetSlot(int row, int col)
    {
        if (row < 0 || col < 0)
        {
            return -1;
        }

        if ((uint)row >= (uint)Size || (uint)col >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(nameof(row), "unknown index outside the matrix");
        }

        int mask = _table.Length - 1;
        int i = Hash(row, col) & mask;
        while (true)
        {
            int entry = _table[i];
            if (entry == 0)
            {
                break;
            }

            if (_rows[entry - 1] == row && _cols[entry - 1] == col)
            {
                return entry - 1;
            }

            i = (i + 1) & mask;
        }

        int slot = _rows.Count;
        _rows.Add(row);
        _cols.Add(col);
        _table[i] = slot + 1;
        if (2 * _rows.Count > _table.Length)
        {
            Grow();
        }

        return slot;
    }

    private static int Hash(int row, int col) =>
        (int)(((((ulong)(uint)row << 32) | (uint)col) * 0x9E3779B97F4A7C15UL) >> 33);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        var table = new int[2 * _table.Length];
        int mask = table.Length - 1;
        for (int slot = 0; slot < _rows.Count; slot++)
        {
            int i = Hash(_rows[slot], _cols[slot]) & mask;
            while (table[i] != 0)
            {
                i = (i + 1) & mask;
            }

            table[i] = slot + 1;
        }

        _table = table;
    }
}

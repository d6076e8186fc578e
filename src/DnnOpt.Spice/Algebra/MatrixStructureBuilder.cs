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
    // Sized for about four slots per unknown (MNA rows of the scale decks carry five to six), so a large build rehashes
    // once or twice instead of at every doubling from 64.
    private int[] _table = new int[Math.Max(64, (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, 8 * size))))];
    private int[] _rows = new int[Math.Max(16, 4 * size)];
    private int[] _cols = new int[Math.Max(16, 4 * size)];
    private int _count;

    /// <summary>Number of unknowns.</summary>
    public int Size { get; } = size;

    /// <summary>Number of slots so far.</summary>
    public int Count => _count;

    /// <summary>Row of every slot.</summary>
    public IReadOnlyList<int> Rows => new ArraySegment<int>(_rows, 0, _count);

    /// <summary>Column of every slot.</summary>
    public IReadOnlyList<int> Columns => new ArraySegment<int>(_cols, 0, _count);

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

        int[] table = _table;
        int[] rows = _rows;
        int[] cols = _cols;
        int mask = table.Length - 1;
        int i = Hash(row, col) & mask;
        while (true)
        {
            int entry = table[i];
            if (entry == 0)
            {
                break;
            }

            if (rows[entry - 1] == row && cols[entry - 1] == col)
            {
                return entry - 1;
            }

            i = (i + 1) & mask;
        }

        int slot = _count;
        if (slot == rows.Length)
        {
            Array.Resize(ref _rows, 2 * slot);
            Array.Resize(ref _cols, 2 * slot);
        }

        _rows[slot] = row;
        _cols[slot] = col;
        _count = slot + 1;
        table[i] = slot + 1;
        if (2 * _count > table.Length)
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
        for (int slot = 0; slot < _count; slot++)
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

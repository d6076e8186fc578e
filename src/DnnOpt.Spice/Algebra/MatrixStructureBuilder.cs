namespace DnnOpt.Spice.Algebra;

/// <summary>
/// Collects the nonzero pattern of an MNA matrix while devices are set up. Each distinct (row, column) gets one slot;
/// devices keep the slot numbers and, at every Newton iteration, only add numbers into those slots.
/// </summary>
internal sealed class MatrixStructureBuilder(int size)
{
    // long's own hash is row ^ col, under which every (i, i + k) of a banded MNA matrix lands in a handful of buckets
    // (a 10k-device chain spent 0.3 s here, growing quadratically); a multiplicative mix spreads the keys.
    private readonly Dictionary<long, int> _slots = new(SlotKeyComparer.Instance);
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

        long key = ((long)row << 32) | (uint)col;
        if (!_slots.TryGetValue(key, out int slot))
        {
            slot = _rows.Count;
            _slots.Add(key, slot);
            _rows.Add(row);
            _cols.Add(col);
        }

        return slot;
    }
}

/// <summary>Equality of (row, column) slot keys with a Fibonacci-hashing mix of both halves.</summary>
internal sealed class SlotKeyComparer : IEqualityComparer<long>
{
    /// <summary>The shared instance.</summary>
    public static readonly SlotKeyComparer Instance = new();

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long obj) => (int)(((ulong)obj * 0x9E3779B97F4A7C15UL) >> 32);
}

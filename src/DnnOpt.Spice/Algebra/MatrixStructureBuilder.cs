namespace DnnOpt.Spice.Algebra;

/// <summary>
/// Collects the nonzero pattern of an MNA matrix while devices are set up. Each distinct (row, column) gets one slot;
/// devices keep the slot numbers and, at every Newton iteration, only add numbers into those slots.
/// </summary>
internal sealed class MatrixStructureBuilder(int size)
{
    private readonly Dictionary<long, int> _slots = [];
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

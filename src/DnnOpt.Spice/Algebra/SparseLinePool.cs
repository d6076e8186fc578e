namespace DnnOpt.Spice.Algebra;

/// <summary>
/// The rows (or the columns) of a matrix under elimination, all lines in one pooled set of arrays. Every line owns a
/// block of entry positions. A removed entry's position goes on the line's free list, and the next entry added to the
/// line takes the most recently freed position (last in, first out), else the next never-used one; a line is read in
/// position order. That is exactly the order in which a .NET <c>Dictionary</c>/<c>HashSet</c> enumerates (an entries
/// array with a LIFO free list), which the former hash-based Markowitz search used and whose ties depend on it: stating
/// the rule here keeps the pivot sequence independent of library internals. A full line moves to the end of the pool
/// with twice its capacity; positions are relative to the line's start, so a move keeps every position and link.
/// </summary>
/// <typeparam name="TValue">Entry value (the row pool holds matrix values; the column pool none).</typeparam>
internal sealed class SparseLinePool<TValue>
    where TValue : struct
{
    private readonly int[] _start;
    private readonly int[] _capacity;
    private readonly int[] _top;
    private readonly int[] _freeHead;
    private readonly int[] _freeCount;
    private readonly bool _hasValues;
    private int[] _key;
    private int[] _link;
    private TValue[] _value;
    private int _used;

    /// <summary>Creates empty lines with room for <paramref name="counts"/> entries each plus <paramref name="slack"/>.</summary>
    /// <param name="counts">Expected entries per line.</param>
    /// <param name="slack">Extra positions per line (fill-in) before a line has to move.</param>
    /// <param name="hasValues">Whether entries carry a <typeparamref name="TValue"/>.</param>
    public SparseLinePool(ReadOnlySpan<int> counts, int slack, bool hasValues)
    {
        int n = counts.Length;
        _start = new int[n];
        _capacity = new int[n];
        _top = new int[n];
        _freeHead = new int[n];
        _freeCount = new int[n];
        _hasValues = hasValues;
        _key = [];
        _link = [];
        _value = [];
        Reset(counts, slack);
    }

    /// <summary>
    /// Empties every line and lays them out again for <paramref name="counts"/> (same number of lines), keeping the
    /// entry arrays when they are large enough: one pool serves every ordering of a matrix pattern.
    /// </summary>
    public void Reset(ReadOnlySpan<int> counts, int slack)
    {
        if (counts.Length != _start.Length)
        {
            throw new ArgumentException("the pool was made for another number of lines", nameof(counts));
        }

        int total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            _start[i] = total;
            _capacity[i] = counts[i] + slack;
            _top[i] = 0;
            _freeHead[i] = -1;
            _freeCount[i] = 0;
            total += _capacity[i];
        }

        // Room for moved lines without an early regrowth of the whole pool.
        int size = Math.Max(16, total + (total >> 1));
        if (_key.Length < size)
        {
            _key = new int[size];
            _link = new int[size];
            _value = _hasValues ? new TValue[size] : [];
        }

        _used = total;
    }

    /// <summary>
    /// The other index of every entry (the column of a row entry, the row of a column entry), -1 at a free position.
    /// The array is replaced when the pool grows: read it again after <see cref="Add"/>.
    /// </summary>
    public int[] Keys => _key;

    /// <summary>For a live entry, its position in the crossing line (row entry: position in its column).</summary>
    public int[] Links => _link;

    /// <summary>Entry values (empty for a pool without values).</summary>
    public TValue[] Values => _value;

    /// <summary>Pool index of position 0 of <paramref name="line"/>.</summary>
    public int Start(int line) => _start[line];

    /// <summary>One past the highest position <paramref name="line"/> ever used (positions below may be free).</summary>
    public int Top(int line) => _top[line];

    /// <summary>Live entries of <paramref name="line"/>.</summary>
    public int Count(int line) => _top[line] - _freeCount[line];

    /// <summary>Adds an entry to <paramref name="line"/> and returns its position (LIFO reuse of freed positions).</summary>
    public int Add(int line, int key, int link, TValue value)
    {
        int position;
        if (_freeCount[line] > 0)
        {
            position = _freeHead[line];
            _freeHead[line] = _link[_start[line] + position];
            _freeCount[line]--;
        }
        else
        {
            if (_top[line] == _capacity[line])
            {
                Move(line);
            }

            position = _top[line]++;
        }

        int at = _start[line] + position;
        _key[at] = key;
        _link[at] = link;
        if (_hasValues)
        {
            _value[at] = value;
        }

        return position;
    }

    /// <summary>Sets the crossing-line position of the entry at <paramref name="position"/> of <paramref name="line"/>.</summary>
    public void SetLink(int line, int position, int link) => _link[_start[line] + position] = link;

    /// <summary>Frees the entry at <paramref name="position"/> of <paramref name="line"/>.</summary>
    public void Remove(int line, int position)
    {
        int at = _start[line] + position;
        _key[at] = -1;
        _link[at] = _freeHead[line];
        _freeHead[line] = position;
        _freeCount[line]++;
    }

    /// <summary>Moves a full line to the end of the pool with twice the room (amortised: a line moves O(log) times).</summary>
    private void Move(int line)
    {
        int capacity = Math.Max(4, 2 * _capacity[line]);
        if (_used + capacity > _key.Length)
        {
            int size = Math.Max(_used + capacity, 2 * _key.Length);
            Array.Resize(ref _key, size);
            Array.Resize(ref _link, size);
            if (_hasValues)
            {
                Array.Resize(ref _value, size);
            }
        }

        int from = _start[line];
        int count = _top[line];
        Array.Copy(_key, from, _key, _used, count);
        Array.Copy(_link, from, _link, _used, count);
        if (_hasValues)
        {
            Array.Copy(_value, from, _value, _used, count);
        }

        _start[line] = _used;
        _capacity[line] = capacity;
        _used += capacity;
    }
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Netlists;

/// <summary>
/// The few <c>name=value</c> pairs of one netlist line (or of one flattened element), in written order: two arrays
/// searched linearly. A <see cref="Dictionary{TKey, TValue}"/> per line cost about 250 bytes and a hash per lookup for
/// the two or three values a device line carries (100k MOSFETs: 25 MB kept for the netlist alone); this keeps just the
/// keys and values. Order and overwrite semantics are those of a Dictionary that is only added to, overwritten and
/// removed from (then not added to again), which is how the parser uses it: enumeration in first-insertion order, an
/// overwrite keeps the key's position, a removal closes the gap. Lookups are linear, so it is meant for lines of tens
/// of values, not thousands.
/// </summary>
/// <typeparam name="TValue">The value type (an expression in a statement, a number in a resolved element).</typeparam>
internal sealed class NamedValues<TValue> : IReadOnlyDictionary<string, TValue>
{
    /// <summary>A map with no pairs, shared (never added to).</summary>
    public static readonly NamedValues<TValue> Empty = new();

    private string[] _keys;
    private TValue[] _values;
    private int _count;

    /// <summary>An empty map with room for <paramref name="capacity"/> pairs.</summary>
    public NamedValues(int capacity = 0)
    {
        _keys = capacity > 0 ? new string[capacity] : [];
        _values = capacity > 0 ? new TValue[capacity] : [];
    }

    /// <summary>A map holding the pairs of any dictionary, in its enumeration order.</summary>
    public static NamedValues<TValue> Copy(IReadOnlyDictionary<string, TValue> pairs)
    {
        var map = new NamedValues<TValue>(pairs.Count);
        foreach (KeyValuePair<string, TValue> kv in pairs)
        {
            map.Append(kv.Key, kv.Value);
        }

        return map;
    }

    public int Count => _count;

    public TValue this[string key] => TryGetValue(key, out TValue? v) ? v : throw new KeyNotFoundException($"no value named '{key}'");

    public IEnumerable<string> Keys => new ArraySegment<string>(_keys, 0, _count);

    public IEnumerable<TValue> Values => new ArraySegment<TValue>(_values, 0, _count);

    /// <summary>Position of a key, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(string key)
    {
        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The key at a position (0 .. <see cref="Count"/> - 1), in written order.</summary>
    public string KeyAt(int index) => _keys[index];

    /// <summary>The value at a position, in written order.</summary>
    public TValue ValueAt(int index) => _values[index];

    /// <summary>Sets a value: a new key goes last, an existing key keeps its position (as <c>dictionary[key] = value</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(string key, TValue value)
    {
        int i = IndexOf(key);
        if (i >= 0)
        {
            _values[i] = value;
            return;
        }

        Append(key, value);
    }

    /// <summary>Adds a key that is not present yet; false (and nothing changes) when it is.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAdd(string key, TValue value)
    {
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value);
        return true;
    }

    /// <summary>Removes a key and returns its value; the later pairs move up one place.</summary>
    public bool Remove(string key, [MaybeNullWhen(false)] out TValue value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            value = default;
            return false;
        }

        value = _values[i];
        _count--;
        Array.Copy(_keys, i + 1, _keys, i, _count - i);
        Array.Copy(_values, i + 1, _values, i, _count - i);
        _keys[_count] = null!;
        _values[_count] = default!;
        return true;
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            value = default;
            return false;
        }

        value = _values[i];
        return true;
    }

    /// <summary>Enumerates the pairs in written order without allocating (when called on this type).</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, TValue>> IEnumerable<KeyValuePair<string, TValue>>.GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return new KeyValuePair<string, TValue>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)this).GetEnumerator();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Append(string key, TValue value)
    {
        if (ReferenceEquals(this, Empty))
        {
            throw new InvalidOperationException("the shared empty map cannot be added to");
        }

        if (_count == _keys.Length)
        {
            int size = Math.Max(2, 2 * _count);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
        }

        _keys[_count] = key;
        _values[_count] = value;
        _count++;
    }

    /// <summary>A pair enumerator over the arrays.</summary>
    public struct Enumerator(NamedValues<TValue> map)
    {
        private int _index = -1;

        public readonly KeyValuePair<string, TValue> Current => new(map._keys[_index], map._values[_index]);

        public bool MoveNext() => ++_index < map._count;
    }
}

using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Parsing;

/// <summary>
/// One string per distinct name in a deck (node, model, parameter and expression texts), looked up by span so a token
/// that was seen before costs no allocation. A 100k-MOSFET deck writes each node name two to four times and the same
/// few model and parameter names on every line; keeping one copy saves the allocation, the garbage collector's copying
/// of survivors, and about 200 bytes per MOSFET of the netlist kept for rebuilds.
/// </summary>
internal sealed class NamePool
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public NamePool()
    {
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Distinct strings held.</summary>
    public int Count => _names.Count;

    /// <summary>The pooled string equal to <paramref name="text"/>, created on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return string.Empty;
        }

        if (!_lookup.TryGetValue(text, out string? name))
        {
            name = text.ToString();
            _names.Add(name, name);
        }

        return name;
    }
}

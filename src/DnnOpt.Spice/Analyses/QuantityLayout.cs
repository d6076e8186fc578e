using System.Runtime.CompilerServices;
using DnnOpt.Spice.Devices;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// Where each device's operating-point quantities sit in one flat snapshot array, resolved once per topology so an
/// operating point can record every quantity with a single allocation.
/// </summary>
internal sealed class QuantityLayout
{
    private readonly IReadOnlyList<IDevice> _devices;
    private readonly int[] _offsets;

    // Made on the first lookup by name: most builds (every sizing design, a large deck) never look one up.
    private Dictionary<string, int>? _deviceIndex;
    private readonly IReadOnlyList<string>[] _names;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public QuantityLayout(IReadOnlyList<IDevice> devices)
    {
        _devices = devices;
        _offsets = new int[devices.Count + 1];
        _names = new IReadOnlyList<string>[devices.Count];
        for (int i = 0; i < devices.Count; i++)
        {
            _names[i] = devices[i].QuantityNames;
            _offsets[i + 1] = _offsets[i] + _names[i].Count;
        }
    }

    public int Count => _offsets[^1];

    public double[] Capture(IReadOnlyList<IDevice> devices, ReadOnlySpan<double> solution)
    {
        var values = new double[Count];
        for (int i = 0; i < devices.Count; i++)
        {
            IReadOnlyList<string> names = _names[i];
            for (int q = 0; q < names.Count; q++)
            {
                values[_offsets[i] + q] = devices[i].TryGetQuantity(names[q], solution, out double v) ? v : double.NaN;
            }
        }

        return values;
    }

    public bool TryGet(double[] values, string device, string quantity, out double value)
    {
        value = double.NaN;
        Dictionary<string, int>? index = Volatile.Read(ref _deviceIndex);
        if (index is null)
        {
            // Results may be read from several threads: the first complete index published wins.
            index = new Dictionary<string, int>(_devices.Count, StringComparer.Ordinal);
            for (int d = 0; d < _devices.Count; d++)
            {
                index[_devices[d].Name] = d;
            }

            index = Interlocked.CompareExchange(ref _deviceIndex, index, null) ?? index;
        }

        if (!index.TryGetValue(device, out int i))
        {
            return false;
        }

        IReadOnlyList<string> names = _names[i];
        for (int q = 0; q < names.Count; q++)
        {
            if (names[q] == quantity)
            {
                value = values[_offsets[i] + q];
                return true;
            }
        }

        return false;
    }
}

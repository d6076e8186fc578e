using DnnOpt.Spice.Devices;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// Where each device's operating-point quantities sit in one flat snapshot array, resolved once per topology so an
/// operating point can record every quantity with a single allocation.
/// </summary>
internal sealed class QuantityLayout
{
    private readonly Dictionary<string, int> _deviceIndex = new(StringComparer.Ordinal);
    private readonly int[] _offsets;
    private readonly IReadOnlyList<string>[] _names;

    public QuantityLayout(IReadOnlyList<IDevice> devices)
    {
        _offsets = new int[devices.Count + 1];
        _names = new IReadOnlyList<string>[devices.Count];
        for (int i = 0; i < devices.Count; i++)
        {
            _deviceIndex[devices[i].Name] = i;
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
        if (!_deviceIndex.TryGetValue(device, out int i))
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

namespace DnnOpt.Spice.Devices.Controlled;

/// <summary>Small-signal stamps of E: the DC stamp, unchanged with frequency.</summary>
internal sealed partial class Vcvs : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        double[] g = context.Real;
        _stamp.Load(g);
        Add(g, _kcp, -_gain);
        Add(g, _kcn, _gain);
    }

    private static void Add(double[] a, int slot, double v)
    {
        if (slot >= 0)
        {
            a[slot] += v;
        }
    }
}

/// <summary>Small-signal stamps of G: the DC stamp.</summary>
internal sealed partial class Vccs : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        double[] g = context.Real;
        Add(g, _pcp, _gm);
        Add(g, _pcn, -_gm);
        Add(g, _ncp, -_gm);
        Add(g, _ncn, _gm);
    }

    private static void Add(double[] a, int slot, double v)
    {
        if (slot >= 0)
        {
            a[slot] += v;
        }
    }
}

/// <summary>Small-signal stamps of F: the DC stamp.</summary>
internal sealed partial class Cccs : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        double[] g = context.Real;
        Add(g, _pc, _gain);
        Add(g, _nc, -_gain);
    }

    private static void Add(double[] a, int slot, double v)
    {
        if (slot >= 0)
        {
            a[slot] += v;
        }
    }
}

/// <summary>Small-signal stamps of H: the DC stamp.</summary>
internal sealed partial class Ccvs : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        _stamp.Load(context.Real);
        if (_kc >= 0)
        {
            context.Real[_kc] -= _r;
        }
    }
}

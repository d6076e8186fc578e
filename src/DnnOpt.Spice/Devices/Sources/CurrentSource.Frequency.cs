namespace DnnOpt.Spice.Devices.Sources;

/// <summary>Small-signal current source: the AC phasor flows from n+ through the source to n-.</summary>
internal sealed partial class CurrentSource : IFrequencyDevice
{
    public void LoadAc(AcLoadContext context)
    {
        if (Ac is (double magnitude, double phase))
        {
            System.Numerics.Complex i = AcLoadContext.Phasor(magnitude, phase);
            context.AddExcitation(_p, -i);
            context.AddExcitation(_n, i);
        }
    }
}

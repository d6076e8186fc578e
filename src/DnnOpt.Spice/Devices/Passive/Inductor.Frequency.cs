namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Small-signal stamp of the inductor: branch equation V(p) - V(n) - jωL I = 0.</summary>
internal sealed partial class Inductor : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        _stamp.Load(context.Real);
        context.Imaginary[BranchDiagonalSlot] -= Inductance;
    }
}

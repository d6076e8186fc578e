using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Devices.Passive;

/// <summary>
/// The capacitor in a transient (SPICE3 CAPload): charge q = C v integrated by the present formula into the
/// companion i = geq v + ceq; the charge takes part in the truncation-error step control. With <c>uic</c> the first
/// point starts from <c>ic=</c> (or the <c>.ic</c> node voltages).
/// </summary>
internal sealed partial class Capacitor
{
    private int _q;

    public void AllocateStates(StateAllocator states) => _q = states.AllocateCharge(truncate: true);

    private void LoadTransient(LoadContext context)
    {
        double v = context.UseInitialConditions && InitialVoltage is double ic && context.Mode is LoadMode.InitJunction or LoadMode.InitTransient
            ? ic
            : context.Voltage(Nodes.P) - context.Voltage(Nodes.N);
        double[] s0 = context.State0;
        s0[_q] = Capacitance * v;
        if (!context.IsTransient)
        {
            return;
        }

        Integrator integrator = context.Integrator;
        if (context.Mode == LoadMode.InitTransient)
        {
            context.State1[_q] = s0[_q];
        }

        integrator.Integrate(_q, Capacitance, out double geq, out double ceq);
        if (context.Mode == LoadMode.InitTransient)
        {
            context.State1[_q + 1] = s0[_q + 1];
        }

        Stamp.Load(context.Matrix, geq);
        context.AddRhs(Nodes.P, -ceq);
        context.AddRhs(Nodes.N, ceq);
    }
}

namespace DnnOpt.Spice.Devices.Diodes;

/// <summary>
/// Charge storage of the junction diode (SPICE3, ngspice manual "Junction Diodes"): depletion charge with the FC
/// forward-bias linearisation (<see cref="DepletionCapacitance"/>) plus the diffusion charge TT·Id, so
/// Q(v) = TT Id(v) + Qdep(v) and C(v) = TT gd(v) + Cdep(v). CJO and VJ follow the SPICE3 temperature law:
/// VJ(T) = (T/Tref) (VJ - pbfact(Tnom)) Tref/Tnom + pbfact(T) and
/// CJO(T) = CJO [1 + M (4e-4 (T - Tref) - (VJ(T) - pbo)/pbo)] / [1 + M (4e-4 (Tnom - Tref) - (VJ - pbo)/pbo)],
/// pbo = (VJ - pbfact(Tnom)) Tref/Tnom, Tref = 300.15 K (the UCB diotemp equations).
/// </summary>
internal sealed partial class Diode
{
    private DepletionCapacitance _depletion;

    /// <summary>Forward-bias depletion coefficient FC.</summary>
    public double ForwardCoefficient { get; private set; }

    /// <summary>Flicker-noise coefficient KF.</summary>
    public double FlickerCoefficient { get; private set; }

    /// <summary>Flicker-noise current exponent AF.</summary>
    public double FlickerExponent { get; private set; }

    /// <summary>Junction potential at the device temperature, in volts.</summary>
    internal double TemperatureJunctionPotential { get; private set; }

    /// <summary>Zero-bias depletion capacitance at the device temperature, times area and m, in farads.</summary>
    internal double TemperatureJunctionCapacitance { get; private set; }

    private void TemperatureCapacitance(double t, double tnom)
    {
        double pbfact = Semiconductor.PotentialFactor(t);
        double pbfact1 = Semiconductor.PotentialFactor(tnom);
        double fact1 = tnom / Semiconductor.ReferenceTemperature;
        double fact2 = t / Semiconductor.ReferenceTemperature;
        double pbo = (JunctionPotential - pbfact1) / fact1;
        double gmaold = (JunctionPotential - pbo) / pbo;
        double cj = JunctionCapacitance / (1 + (GradingCoefficient * ((400e-6 * (tnom - Semiconductor.ReferenceTemperature)) - gmaold)));
        double pot = pbfact + (fact2 * pbo);
        double gmanew = (pot - pbo) / pbo;
        cj *= 1 + (GradingCoefficient * ((400e-6 * (t - Semiconductor.ReferenceTemperature)) - gmanew));
        TemperatureJunctionPotential = pot;
        TemperatureJunctionCapacitance = cj * _area * _m;
        _depletion = new DepletionCapacitance(TemperatureJunctionCapacitance, pot, GradingCoefficient, ForwardCoefficient);
    }

    /// <summary>
    /// Stored charge (C) and incremental capacitance (F) of the junction at voltage <paramref name="vd"/> with the
    /// junction current <paramref name="id"/> and conductance <paramref name="gd"/> of the same evaluation (the
    /// diffusion part is TT·Id and TT·gd).
    /// </summary>
    /// <param name="vd">Junction voltage (internal anode to cathode) in volts.</param>
    /// <param name="id">Junction current in amperes.</param>
    /// <param name="gd">Junction conductance in siemens.</param>
    /// <returns>Charge and capacitance.</returns>
    public (double Charge, double Capacitance) Charge(double vd, double id, double gd)
    {
        (double q, double c) = _depletion.Evaluate(vd);
        return ((TransitTime * id) + q, (TransitTime * gd) + c);
    }

    /// <summary>Charge and capacitance at the last load's junction voltage (the operating point after a solve).</summary>
    /// <returns>Charge and capacitance.</returns>
    public (double Charge, double Capacitance) OperatingPointCharge() => Charge(_vd, _id, _gd);
}

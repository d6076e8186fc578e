namespace DnnOpt.Spice.Devices;

/// <summary>
/// Depletion charge and capacitance of a graded pn junction with SPICE's forward-bias linearisation (ngspice manual,
/// "Junction Diodes"; Nagel, UCB/ERL M520): for v &lt; FC·VJ,
/// C = Cj0 (1 - v/VJ)^-M and Q = VJ Cj0 (1 - (1 - v/VJ)^(1-M)) / (1 - M); above FC·VJ the capacitance continues as the
/// straight line C = Cj0 / F2 (F3 + M v / VJ) with F2 = (1 - FC)^(1+M), F3 = 1 - FC (1 + M), and the charge as its
/// integral, so Q and C are continuous at v = FC·VJ. Values are temperature-scaled by the owner; this type only
/// evaluates.
/// </summary>
internal readonly struct DepletionCapacitance
{
    private readonly double _czero;
    private readonly double _potential;
    private readonly double _grading;
    private readonly double _depletionLimit;
    private readonly double _f1;
    private readonly double _f2;
    private readonly double _f3;

    /// <summary>Precomputes the constants of one junction.</summary>
    /// <param name="czero">Zero-bias capacitance Cj0 in farads (already times area and multiplier).</param>
    /// <param name="potential">Built-in potential VJ (PB) in volts at the device temperature.</param>
    /// <param name="grading">Grading coefficient M (MJ, MJSW).</param>
    /// <param name="fc">Forward-bias coefficient FC (0 ≤ FC &lt; 1).</param>
    public DepletionCapacitance(double czero, double potential, double grading, double fc)
    {
        _czero = czero;
        _potential = potential;
        _grading = grading;
        _depletionLimit = fc * potential;
        double xfc = Math.Log(1 - fc);
        _f1 = potential * (1 - Math.Exp((1 - grading) * xfc)) / (1 - grading);
        _f2 = Math.Exp((1 + grading) * xfc);
        _f3 = 1 - (fc * (1 + grading));
    }

    /// <summary>True when the junction has no capacitance at all (Cj0 = 0).</summary>
    public bool IsZero => _czero == 0;

    /// <summary>Depletion charge (C) and incremental capacitance (F) at junction voltage <paramref name="v"/> (V).</summary>
    /// <param name="v">Junction voltage, positive in forward bias.</param>
    /// <returns>Charge and capacitance.</returns>
    public (double Charge, double Capacitance) Evaluate(double v)
    {
        if (_czero == 0)
        {
            return (0, 0);
        }

        if (v < _depletionLimit)
        {
            double arg = 1 - (v / _potential);
            double sarg = Math.Exp(-_grading * Math.Log(arg));
            return (_potential * _czero * (1 - (arg * sarg)) / (1 - _grading), _czero * sarg);
        }

        double czof2 = _czero / _f2;
        double charge = (_czero * _f1) + (czof2 * ((_f3 * (v - _depletionLimit)) + (_grading / (_potential + _potential) * ((v * v) - (_depletionLimit * _depletionLimit)))));
        return (charge, czof2 * (_f3 + (_grading * v / _potential)));
    }
}

namespace DnnOpt.Spice.Analyses;

/// <summary>Numerical integration formula of the transient analysis (ngspice <c>.options method</c>).</summary>
public enum IntegrationMethod
{
    /// <summary>Trapezoidal rule (order 2; backward Euler at order 1): ngspice's default <c>trap</c>.</summary>
    Trapezoidal,

    /// <summary>Variable-step backward differentiation (Gear) of order 1 or 2: <c>method=gear</c>.</summary>
    Gear,
}

/// <summary>
/// Hands out transient state slots while an engine is built. A charge takes two slots: the charge q and, right after
/// it, its current dq/dt, as in SPICE3's state vectors; charges marked for truncation take part in the
/// local-truncation-error step control.
/// </summary>
internal sealed class StateAllocator
{
    private readonly List<int> _truncated = [];

    /// <summary>Slots allocated so far.</summary>
    public int Count { get; private set; }

    /// <summary>Reserves <paramref name="count"/> plain history slots.</summary>
    /// <param name="count">Number of slots.</param>
    /// <returns>Index of the first.</returns>
    public int Allocate(int count)
    {
        int first = Count;
        Count += count;
        return first;
    }

    /// <summary>Reserves a charge (or flux) slot q and its current slot q + 1.</summary>
    /// <param name="truncate">True when the charge limits the time step (ngspice's DEVtrunc lists it).</param>
    /// <returns>The charge slot q.</returns>
    public int AllocateCharge(bool truncate)
    {
        int q = Allocate(2);
        if (truncate)
        {
            _truncated.Add(q);
        }

        return q;
    }

    /// <summary>The integrator holding state vectors of the allocated size.</summary>
    /// <returns>A new integrator.</returns>
    public Integrator Build() => new(Count, [.. _truncated]);
}

/// <summary>
/// The transient state vectors and integration formulas of SPICE3 (Quarles, "The SPICE3 Implementation Guide",
/// NIcomCof, NIintegrate, CKTterr): four state vectors (present, last accepted, and two older points), the
/// integration coefficients a<sub>i</sub> of dq/dt ≈ Σ a<sub>i</sub> q<sub>n+1-i</sub>, and the truncation-error
/// estimate from divided differences of the charges. Nothing is allocated after construction.
/// </summary>
internal sealed class Integrator
{
    /// <summary>Highest order supported (trapezoidal and Gear 2).</summary>
    public const int MaxOrder = 2;

    // CKTterr's error constants of the order-k formulas: trapezoidal 1/2, 1/12; Gear 1/2, 2/9.
    private static readonly double[] TrapezoidalErrorConstants = [0.5, 1.0 / 12.0];
    private static readonly double[] GearErrorConstants = [0.5, 2.0 / 9.0];

    private readonly int _count;

    // The four vectors are made on first use: an operating point or a DC sweep never reads them, and made with the
    // engine they cost 32 bytes per state slot whether a transient runs or not (16 slots per MOS1 instance: 0.5 KB
    // per MOSFET, 51 MB of a 100k-MOSFET chain).
    private double[][]? _states;

    // The present vectors and coefficients, cached so the per-charge integration is a few multiply-adds (empty until
    // the vectors are made).
    private double[] _s0 = [];
    private double[] _s1 = [];
    private double[] _s2 = [];
    private double _a0;
    private double _a1;
    private double _a2;
    private bool _trapezoidal2;
    private readonly int[] _truncated;

    public Integrator(int count, int[] truncatedCharges)
    {
        _count = count;
        _truncated = truncatedCharges;
    }

    /// <summary>Number of state slots.</summary>
    public int Count => _count;

    /// <summary>Present state values.</summary>
    public double[] State0 => States[0];

    /// <summary>Last accepted time point.</summary>
    public double[] State1 => States[1];

    /// <summary>The accepted point before that.</summary>
    public double[] State2 => States[2];

    /// <summary>State vector <paramref name="i"/> back in time (0 = present).</summary>
    /// <param name="i">0 to <see cref="MaxOrder"/> + 1.</param>
    /// <returns>The vector.</returns>
    public double[] State(int i) => States[i];

    /// <summary>The state vectors, made (zero) on first use.</summary>
    private double[][] States
    {
        get
        {
            if (_states is null)
            {
                var states = new double[MaxOrder + 2][];
                for (int i = 0; i < states.Length; i++)
                {
                    states[i] = new double[_count];
                }

                _states = states;
                (_s0, _s1, _s2) = (states[0], states[1], states[2]);
            }

            return _states;
        }
    }

    /// <summary>Integration coefficients a0, a1, a2 for the present step.</summary>
    public double[] Ag { get; } = new double[MaxOrder + 1];

    /// <summary>Order of the present step (1 or 2).</summary>
    public int Order { get; set; } = 1;

    /// <summary>Integration method.</summary>
    public IntegrationMethod Method { get; set; }

    /// <summary>Step sizes: [0] the present step, [1] the previous accepted one, and so on (seconds).</summary>
    public double[] DeltaOld { get; } = new double[7];

    /// <summary>Makes the state vectors of the last accepted point (and older) equal to the present one.</summary>
    public void CopyPresentToHistory()
    {
        double[][] states = States;
        for (int i = 1; i < states.Length; i++)
        {
            Array.Copy(states[0], states[i], states[0].Length);
        }
    }

    /// <summary>Copies the last accepted state into the two older ones (after the first time point, as ngspice).</summary>
    public void FillOlderFromLast()
    {
        double[][] states = States;
        for (int i = 2; i < states.Length; i++)
        {
            Array.Copy(states[1], states[i], states[1].Length);
        }
    }

    /// <summary>Shifts the history by one point before a new time step: the oldest vector becomes the present one.</summary>
    public void Rotate()
    {
        double[][] states = States;
        double[] oldest = states[^1];
        for (int i = states.Length - 1; i > 0; i--)
        {
            states[i] = states[i - 1];
        }

        states[0] = oldest;
        (_s0, _s1, _s2) = (states[0], states[1], states[2]);
    }

    /// <summary>
    /// The coefficients a<sub>i</sub> for step h = DeltaOld[0] (NIcomCof). Trapezoidal: order 1 a0 = 1/h, a1 = -1/h;
    /// order 2 a0 = 2/h, a1 = 1 (applied to the previous current). Gear 2 with r = h/h<sub>1</sub>:
    /// a0 = (1 + 2r)/(h(1 + r)), a1 = -(1 + r)/h, a2 = r²/(h(1 + r)).
    /// </summary>
    public void ComputeCoefficients()
    {
        double h = DeltaOld[0];
        Array.Clear(Ag);
        _trapezoidal2 = false;
        if (Order == 1)
        {
            Ag[0] = 1 / h;
            Ag[1] = -1 / h;
        }
        else if (Method == IntegrationMethod.Trapezoidal)
        {
            Ag[0] = 2 / h;
            Ag[1] = 1;
            _trapezoidal2 = true;
        }
        else
        {
            double r = h / DeltaOld[1];
            Ag[0] = (1 + (2 * r)) / (h * (1 + r));
            Ag[1] = -(1 + r) / h;
            Ag[2] = r * r / (h * (1 + r));
        }

        (_a0, _a1, _a2) = (Ag[0], Ag[1], Ag[2]);
    }

    /// <summary>
    /// NIintegrate: the current i = dq/dt of charge slot q by the present formula, stored in slot q + 1, and the
    /// companion model i ≈ geq v + ceq about the present charge: geq = a0 C, ceq = i - a0 q.
    /// </summary>
    /// <param name="q">Charge slot.</param>
    /// <param name="capacitance">dq/dv at the present voltage, in farads (or henries for a flux).</param>
    /// <param name="geq">Companion conductance.</param>
    /// <param name="ceq">Companion current (to subtract from the node the charge sits on).</param>
    public void Integrate(int q, double capacitance, out double geq, out double ceq)
    {
        if (_states is null)
        {
            _ = States;
        }

        double[] s0 = _s0;
        double[] s1 = _s1;
        double q0 = s0[q];
        double q1 = s1[q];
        double current;
        if (_trapezoidal2)
        {
            current = (-s1[q + 1] * _a1) + (_a0 * (q0 - q1));
        }
        else
        {
            // Backward Euler (a2 = 0) or Gear 2.
            current = (_a0 * q0) + (_a1 * q1);
            if (_a2 != 0)
            {
                current += _a2 * _s2[q];
            }
        }

        s0[q + 1] = current;
        ceq = current - (_a0 * q0);
        geq = _a0 * capacitance;
    }

    /// <summary>
    /// CKTtrunc with CKTterr for every truncated charge: the step that keeps the local truncation error of each
    /// charge within trtol·max(abstol + reltol·|i|, reltol·max(|q|, chgtol)/h), from the (order+1)-th divided
    /// difference; the result is at most twice the present step.
    /// </summary>
    /// <param name="delta">The present step h in seconds.</param>
    /// <param name="options">Tolerances (reltol, abstol, chgtol, trtol).</param>
    /// <returns>The largest acceptable step.</returns>
    public double Truncate(double delta, SimulationOptions options)
    {
        double best = double.MaxValue;
        int order = Order;
        double factor = (Method == IntegrationMethod.Gear ? GearErrorConstants : TrapezoidalErrorConstants)[order - 1];
        double[][] states = States;
        double[] s0 = states[0];
        double[] s1 = states[1];
        double[] s2 = states[2];
        double[] s3 = states[3];
        foreach (int q in _truncated)
        {
            double currentTol = options.AbsTol + (options.RelTol * Math.Max(Math.Abs(s0[q + 1]), Math.Abs(s1[q + 1])));
            double chargeTol = options.RelTol * Math.Max(Math.Max(Math.Abs(s0[q]), Math.Abs(s1[q])), options.ChgTol) / delta;
            double tol = Math.Max(currentTol, chargeTol);
            // The (order+1)-th divided difference of the charge over the last order+2 points (CKTterr's loop,
            // written out for orders 1 and 2 with the same operations in the same order).
            double h0 = DeltaOld[0];
            double h1 = DeltaOld[1];
            double d0 = (s0[q] - s1[q]) / h0;
            double d1 = (s1[q] - s2[q]) / h1;
            double diff;
            if (order == 1)
            {
                diff = (d0 - d1) / (h1 + h0);
            }
            else
            {
                double h2 = DeltaOld[2];
                double d2 = (s2[q] - s3[q]) / h2;
                double h21 = h2 + h1;
                double e0 = (d0 - d1) / (h1 + h0);
                double e1 = (d1 - d2) / h21;
                diff = (e0 - e1) / (h21 + h0);
            }

            double del = options.TrTol * tol / Math.Max(options.AbsTol, factor * Math.Abs(diff));
            if (order == 2)
            {
                del = Math.Sqrt(del);
            }

            best = Math.Min(best, del);
        }

        return Math.Min(2 * delta, best);
    }
}

using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Devices.Sources;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>The transient analysis of a circuit.</summary>
public sealed partial class Circuit
{
    /// <summary>
    /// Runs a transient analysis as ngspice's <c>.tran tstep tstop [tstart [tmax]] [uic]</c>: the operating point at
    /// t = 0 with <c>.ic</c> node voltages held (or, with <c>uic</c>, the <c>.ic</c>/<c>ic=</c> values as the start),
    /// then trapezoidal (default) or Gear-2 integration (<c>.options method</c>) with local-truncation-error step
    /// control (<c>trtol</c>, <c>chgtol</c>, <c>reltol</c>, <c>abstol</c>), steps landing on source breakpoints and at
    /// most TMAX (default min(TSTEP, (TSTOP - TSTART)/50)). Every accepted internal time point at or after TSTART is
    /// kept, as ngspice does without <c>interp</c> (under <c>uic</c> there is no t = 0 point, as in ngspice); use <see cref="TransientResult.Interpolate(string, double)"/> for
    /// values at other times. Non-convergence is a result (<see cref="TransientResult.Exit"/>), never an exception.
    /// </summary>
    /// <param name="settings">TSTEP, TSTOP, TSTART, TMAX and <c>uic</c>.</param>
    /// <param name="save">Device quantities to record at every stored point, as <c>@m1[id]</c> (values of the
    /// converged load of each time point, as ngspice's <c>save @m1[id]</c>).</param>
    /// <returns>The waveforms.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Invalid times.</exception>
    /// <exception cref="SpiceParseException">A source function with bad arguments.</exception>
    /// <exception cref="ArgumentException">A malformed or unknown <paramref name="save"/> entry.</exception>
    public TransientResult Transient(TransientSettings settings, IReadOnlyList<string>? save = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings = WithOptionsMaxStep(settings);
        settings.Validate();
        _engine.SetTemperature(_temperature);
        var sources = new List<ITimeDependentSource>();
        foreach (IDevice d in _engine.Devices)
        {
            if (d is ITimeDependentSource s)
            {
                sources.Add(s);
            }
        }

        UnknownTable unknowns = _engine.Unknowns;
        double[] icVector = new double[unknowns.Count];
        foreach (NodeValueStatement ic in _netlist.InitialConditions)
        {
            if (unknowns.TryGet(ic.Node, out int idx))
            {
                icVector[idx] = ParameterScope.Evaluate(ic.Value, _scope, ic.Location);
            }
        }

        var saved = new List<(string, IDevice, string)>();
        foreach (string entry in save ?? [])
        {
            string v = entry.Trim().ToLowerInvariant();
            int open = v.IndexOf('[', StringComparison.Ordinal);
            if (!v.StartsWith('@') || open < 0 || !v.EndsWith(']'))
            {
                throw new ArgumentException($"save entries must look like @device[quantity], got '{entry}'", nameof(save));
            }

            string device = v[1..open];
            string quantity = v[(open + 1)..^1];
            if (!_devices.TryGetValue(device, out IDevice? d) || !d.QuantityNames.Contains(quantity))
            {
                throw new ArgumentException($"no quantity '{quantity}' on device '{device}'", nameof(save));
            }

            saved.Add((v, d, quantity));
        }

        var recorder = new TransientRecorder(unknowns.Count, saved);
        long before = _engine.TotalIterations;
        (TransientExit exit, NewtonResult newton) = _engine.SolveTransient(settings, sources, icVector, recorder, out double failureTime);
        return new TransientResult(unknowns.Names, unknowns.Kinds, recorder, exit, newton, failureTime, _engine.TotalIterations - before);
    }

    /// <summary>Runs a transient analysis; see <see cref="Transient(TransientSettings, IReadOnlyList{string}?)"/>.</summary>
    /// <param name="step">TSTEP in seconds.</param>
    /// <param name="stop">TSTOP in seconds.</param>
    /// <returns>The waveforms.</returns>
    public TransientResult Transient(double step, double stop) => Transient(new TransientSettings(step, stop), null);

    /// <summary>A deck's <c>.tran</c> line.</summary>
    private TransientResult RunTransient(TranStatement tran, IReadOnlyList<string>? save)
    {
        TransientSettings settings = TransientSettingsOf(tran);
        if (_netlist.Options.TryGetValue("interp", out (Expression? Value, SourceLocation Location) interp))
        {
            // ngspice would store the waveforms resampled at TSTEP; storing the internal points instead would differ.
            throw new SpiceParseException(interp.Location, "option 'interp' (transient output resampled at TSTEP) is not supported; the internal time points are stored");
        }

        return Transient(settings, save);
    }

    /// <summary>
    /// The settings with <c>.options maxstep</c> as TMAX when they give none: the one place it is read, so the
    /// step-count check and the integration see the same largest step.
    /// </summary>
    private TransientSettings WithOptionsMaxStep(TransientSettings settings) =>
        settings.MaxStep is null && _options.MaxStep is double maxStep ? settings with { MaxStep = maxStep } : settings;

    private TransientSettings TransientSettingsOf(TranStatement tran)
    {
        double Eval(Expression e) => ParameterScope.Evaluate(e, _scope, tran.Location);
        TransientSettings settings = WithOptionsMaxStep(new TransientSettings(
            Eval(tran.Step),
            Eval(tran.Stop),
            tran.Start is Expression start ? Eval(start) : 0,
            tran.MaxStep is Expression max ? Eval(max) : null,
            tran.UseInitialConditions));
        try
        {
            settings.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SpiceParseException(tran.Location, $".tran: {e.Message}");
        }

        return settings;
    }

    private static SimulationOptions TransientOption(SimulationOptions o, string name, Expression? value, SourceLocation location)
    {
        if (name == "method")
        {
            return value switch
            {
                ParameterReference { Name: "trap" or "trapezoidal" } => o with { Method = IntegrationMethod.Trapezoidal },
                ParameterReference { Name: "gear" } => o with { Method = IntegrationMethod.Gear },
                _ => throw new SpiceParseException(location, "option 'method' must be trap or gear"),
            };
        }

        // maxord: the largest integration order; only ngspice's default (2) is implemented.
        if (value is not ConstantExpression || value.Evaluate(EmptyScope.Instance) != 2)
        {
            throw new SpiceParseException(location, "option 'maxord': only the default order 2 is supported");
        }

        return o;
    }

    private sealed class EmptyScope : IParameterScope
    {
        public static readonly EmptyScope Instance = new();

        public bool TryGetValue(string name, out double value)
        {
            value = 0;
            return false;
        }
    }
}

using System.Numerics;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

public sealed partial class Circuit
{
    private AcSystem? _acSystem;
    private Engine? _acEngine;
    private ComplexSparseLu? _complexLu;
    private SparseLu? _complexLuOwner;

    /// <summary>How many times the complex LU chose its own pivot order (0 while the real LU's order serves).</summary>
    public int ComplexLuOrderings => _complexLu?.OrderingCount ?? 0;

    /// <summary>
    /// AC small-signal analysis (ngspice <c>.ac</c>): the DC operating point first, then at each frequency of
    /// <paramref name="sweep"/> the linear system (G + jωC) x = b about it, where G holds the device conductances and
    /// transconductances at the operating point, C the capacitances (Meyer and junction capacitances of MOSFETs and
    /// diodes, capacitors, -L on inductor branches) and b the AC magnitudes/phases of the independent sources
    /// (<c>ac mag phase</c>, phase in degrees). The points are exactly ngspice's (<see cref="FrequencySweep.Frequencies"/>).
    /// The complex LU reuses the real LU's pivot order and is refactored per point without allocation.
    /// </summary>
    /// <param name="sweep">The frequency sweep.</param>
    /// <returns>The phasors; <see cref="AnalysisResult.Converged"/> is false when the operating point failed (no
    /// points) or a frequency point was singular (points up to it are kept).</returns>
    /// <exception cref="NotSupportedException">A device of the circuit has no small-signal model.</exception>
    public AcResult Ac(FrequencySweep sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        double[] frequencies = sweep.Frequencies(_options.RelTol);
        _engine.SetTemperature(_temperature);
        NewtonResult op = _engine.SolveOperatingPoint();
        int n = _engine.Unknowns.Count;
        var data = new Complex[frequencies.Length * n];
        if (!op.Converged)
        {
            return new AcResult(_engine.Unknowns.Names, _engine.Unknowns.Kinds, frequencies, data, 0, op);
        }

        AcSystem system = SmallSignalSystem();
        system.Load();
        for (int p = 0; p < frequencies.Length; p++)
        {
            LuResult f = system.Factor(2.0 * Math.PI * frequencies[p]);
            if (f.Status != LuStatus.Ok)
            {
                var singular = new NewtonResult(NewtonExit.Singular, op.Iterations, f.Unknown, f.Unknown >= 0 && f.Unknown < n ? _engine.Unknowns.Names[f.Unknown] : null);
                return new AcResult(_engine.Unknowns.Names, _engine.Unknowns.Kinds, frequencies, data, p, singular);
            }

            system.SolveExcitation(data.AsSpan(p * n, n));
        }

        return new AcResult(_engine.Unknowns.Names, _engine.Unknowns.Kinds, frequencies, data, frequencies.Length, op);
    }

    /// <summary>The small-signal system of the current engine; the complex LU survives rebuilds that keep the real LU.</summary>
    private AcSystem SmallSignalSystem()
    {
        if (_acSystem is not null && ReferenceEquals(_acEngine, _engine))
        {
            return _acSystem;
        }

        if (_complexLu is null || !ReferenceEquals(_complexLuOwner, _engine.Lu))
        {
            _complexLu = new ComplexSparseLu(_engine.Lu);
            _complexLuOwner = _engine.Lu;
        }

        _acSystem = new AcSystem(_engine, _complexLu);
        _acEngine = _engine;
        return _acSystem;
    }

    private AcResult RunAc(AcStatement statement)
    {
        FrequencySweep sweep = EvaluateSweep(statement.Sweep, statement.Location, "ac");
        try
        {
            return Ac(sweep);
        }
        catch (NotSupportedException e)
        {
            throw new SpiceParseException(statement.Location, $".ac: {e.Message}");
        }
    }

    /// <summary>Evaluates a <c>.ac</c>/<c>.noise</c> sweep statement and checks it, as a parse error naming the line.</summary>
    private FrequencySweep EvaluateSweep(FrequencySweepStatement s, SourceLocation location, string analysis)
    {
        double points = ParameterScope.Evaluate(s.Points, _scope, location);
        var sweep = new FrequencySweep(
            s.Kind,
            points >= int.MaxValue ? int.MaxValue : (int)Math.Round(points),
            ParameterScope.Evaluate(s.Start, _scope, location),
            ParameterScope.Evaluate(s.Stop, _scope, location));
        try
        {
            sweep.Validate(noise: analysis == "noise");
        }
        catch (ArgumentException e)
        {
            throw new SpiceParseException(location, $".{analysis}: {e.Message}");
        }

        return sweep;
    }
}

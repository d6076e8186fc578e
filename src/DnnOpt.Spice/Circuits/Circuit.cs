using System.Globalization;
using System.Runtime.CompilerServices;
using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Devices.Mosfets.Bsim3;
using DnnOpt.Spice.Devices.Passive;
using DnnOpt.Spice.Devices.Sources;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>A DC sweep request: target (source, resistor, <c>temp</c> or top-level parameter), start, stop, step.</summary>
/// <param name="Target">Lower-case name.</param>
/// <param name="Start">First value.</param>
/// <param name="Stop">Last value (included, within 1e-9 of a step).</param>
/// <param name="Step">Increment; its sign is corrected to go from start to stop.</param>
public sealed record DcSweep(string Target, double Start, double Stop, double Step);

/// <summary>
/// A circuit ready to simulate, built once from a <see cref="Netlist"/>. Parameters can be changed
/// (<see cref="SetParameter"/>) without re-reading text: expressions are re-evaluated, devices take the new values,
/// and when the topology is unchanged the sparse LU keeps its pivot order and fill pattern.
/// Analyses: <see cref="OperatingPoint"/>, <see cref="DcSweep(IReadOnlyList{DcSweep}, IReadOnlyList{string}?)"/>,
/// and <see cref="RunAnalyses"/> for the deck's own <c>.op</c>/<c>.dc</c> lines. A circuit holds its solver state and
/// is not thread-safe: use one instance per thread (building another from the same <see cref="Netlist"/> is cheap).
/// </summary>
public sealed partial class Circuit
{
    private static readonly Dictionary<string, string> OptionAliases = new(StringComparer.Ordinal)
    {
        ["reltol"] = nameof(SimulationOptions.RelTol),
        ["abstol"] = nameof(SimulationOptions.AbsTol),
        ["vntol"] = nameof(SimulationOptions.VnTol),
        ["chgtol"] = nameof(SimulationOptions.ChgTol),
        ["trtol"] = nameof(SimulationOptions.TrTol),
        ["gmin"] = nameof(SimulationOptions.Gmin),
        ["itl1"] = nameof(SimulationOptions.Itl1),
        ["itl2"] = nameof(SimulationOptions.Itl2),
        ["itl4"] = nameof(SimulationOptions.Itl4),
        ["maxstep"] = nameof(SimulationOptions.MaxStep),
        ["temp"] = nameof(SimulationOptions.Temperature),
        ["tnom"] = nameof(SimulationOptions.NominalTemperature),
        ["pivtol"] = nameof(SimulationOptions.PivotAbsoluteTolerance),
        ["pivrel"] = nameof(SimulationOptions.PivotRelativeTolerance),
        ["gminsteps"] = nameof(SimulationOptions.GminSteps),
        ["srcsteps"] = nameof(SimulationOptions.SourceSteps),
        ["defl"] = nameof(SimulationOptions.DefaultL),
        ["defw"] = nameof(SimulationOptions.DefaultW),
        ["defad"] = nameof(SimulationOptions.DefaultAd),
        ["defas"] = nameof(SimulationOptions.DefaultAs),
    };

    // Options that only affect output, accounting or analyses of later parts: accepted, no effect on DC results.
    private static readonly HashSet<string> HarmlessOptions = new(StringComparer.Ordinal)
    {
        "noacct", "acct", "nopage", "nomod", "norefvalue", "list", "node", "opts", "numdgt", "itl5", "itl3", "interp", "noinit", "keepopinfo", "savecurrents", "post", "ingold", "brief", "klu", "sparse",
    };

    /// <summary>Largest number of points one sweep may have (guards against a mistyped step).</summary>
    public const int MaxSweepPoints = 1_000_000;

    // ngspice options that would change DC results but are not implemented: an error, never silently ignored.
    private static readonly HashSet<string> UnsupportedOptions = new(StringComparer.Ordinal)
    {
        "scale", "gshunt", "rshunt", "cshunt", "noopiter",
    };

    // ngspice ends a sweep once the value passes stop by more than 1e3 DBL_EPSILON.
    private const double SweepEndTolerance = 1e3 * 2.220446049250313e-16;

    private readonly Netlist _netlist;
    private readonly Dictionary<string, double> _overrides = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _topLevelParameters = new(StringComparer.Ordinal);
    private SimulationOptions _options;
    private Engine _engine;
    private Dictionary<string, IDevice> _devices = new(StringComparer.Ordinal);
    private ParameterScope _scope = new(null);
    private double _temperature;

    // What a new design touches (null after a failed build: the next change builds afresh), and the factory whose
    // interpreted model cards the devices of the present build share.
    private ElaborationPlan? _plan;
    private DeviceFactory? _factory;

    // Total BSIM3 size-parameter sets kept after the last trim (the caches are trimmed when they double).
    private int _sizeSetsAfterTrim;

    private Circuit(Netlist netlist, SimulationOptions? options)
    {
        _netlist = netlist;
        _warnings.AddRange(netlist.Warnings);
        foreach (ParameterAssignment p in netlist.Top.Parameters)
        {
            _topLevelParameters.Add(p.Name);
        }

        // Options may use top-level parameters, so they are evaluated in a scope holding just those.
        foreach (ParameterAssignment p in netlist.Top.Parameters)
        {
            _scope.Define(p.Name, p.Value, p.Location);
        }

        _options = options ?? DeckOptions();
        _options.Validate();
        _engine = Build(null);
        _temperature = _options.Temperature;
        if (netlist.Temperature is Expression t)
        {
            _temperature = ParameterScope.Evaluate(t, _scope, new SourceLocation("<.temp>", 0));
        }

        _engine.Options = _options;
    }

    /// <summary>Builds a circuit from a parsed deck.</summary>
    /// <param name="netlist">The deck.</param>
    /// <param name="options">Options replacing the deck's <c>.options</c> (null: use the deck's).</param>
    /// <returns>The circuit.</returns>
    /// <exception cref="SpiceParseException">Undefined models/subcircuits/parameters, floating nodes, source loops.</exception>
    public static Circuit Create(Netlist netlist, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(netlist);
        return new Circuit(netlist, options);
    }

    /// <summary>Parses and builds in one step.</summary>
    /// <param name="text">Deck text (first line is the title).</param>
    /// <param name="fileName">Name for messages and relative includes.</param>
    /// <returns>The circuit.</returns>
    public static Circuit Parse(string text, string fileName = "<netlist>") => Create(NetlistParser.Parse(text, fileName));

    /// <summary>The deck this circuit was built from.</summary>
    public Netlist Netlist => _netlist;

    /// <summary>Options in effect (deck <c>.options</c> unless replaced).</summary>
    public SimulationOptions Options
    {
        get => _options;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            _options = value;
            _engine.Options = value;

            // Devices read some options when they are made (default sizes, tnom): the next new design builds afresh.
            _plan = null;
        }
    }

    /// <summary>Circuit temperature in degrees Celsius (<c>.temp</c>, else <c>.options temp</c>, else 27).</summary>
    public double Temperature
    {
        get => _temperature;
        set => _temperature = value;
    }

    /// <summary>Parser and builder remarks (ignored output requests, unknown model parameters).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Names of the MNA unknowns in solution order.</summary>
    public IReadOnlyList<string> UnknownNames => _engine.Unknowns.Names;

    /// <summary>Flattened device names (<c>r1</c>, <c>m.x1.m1</c>).</summary>
    public IEnumerable<string> DeviceNames => _devices.Keys;

    /// <summary>The device of the present build with this flattened name, or null (tests and device-level analyses).</summary>
    internal IDevice? FindDevice(string name) => _devices.GetValueOrDefault(name);

    /// <summary>How many times the sparse LU chose a pivot order (stays 1 while values behave).</summary>
    public int LuOrderings => _engine.Lu.OrderingCount;

    /// <summary>Nonzeros of L+U including fill-in.</summary>
    public int LuNonzeros => _engine.Lu.FactorNonzeros;

    /// <summary>The engine of the current topology (tests and benchmarks drive it directly).</summary>
    internal Engine Engine => _engine;

    /// <summary>
    /// Tests and benchmarks: when true, every <see cref="SetParameters"/> builds every device, unknown and slot
    /// afresh (the LU order still kept when the pattern is the same), as before updates were made in place.
    /// </summary>
    internal bool AlwaysRebuild { get; set; }

    /// <summary>Parameter changes applied in place since the circuit was created (diagnostics and tests).</summary>
    internal int InPlaceUpdates { get; private set; }

    /// <summary>Builds since the circuit was created, the first included (diagnostics and tests).</summary>
    internal int FullBuilds { get; private set; }

    /// <summary>Total Newton iterations performed by the current engine.</summary>
    public long NewtonIterations => _engine.TotalIterations;

    /// <summary>The current value of a top-level parameter.</summary>
    /// <param name="name">Parameter name.</param>
    /// <returns>Its value.</returns>
    public double GetParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _scope.TryGetValue(name.ToLowerInvariant(), out double v) ? v : throw new KeyNotFoundException($"no parameter '{name}'");
    }

    /// <summary>
    /// Sets a top-level <c>.param</c> to a number; every expression that depends on it is re-evaluated. The matrix
    /// pattern and pivot order are kept when the topology is unchanged.
    /// </summary>
    /// <param name="name">A parameter defined by a top-level <c>.param</c>.</param>
    /// <param name="value">New value.</param>
    public void SetParameter(string name, double value)
    {
        SetParameters([new KeyValuePair<string, double>(name, value)]);
    }

    /// <summary>
    /// Sets several top-level parameters at once. Only what depends on a parameter whose value changes is evaluated
    /// again (subcircuit parameters, model cards, device values, through any chain of expressions), and those devices
    /// take the new values in place: the engine, the matrix pattern and the LU order stay, and the results are those
    /// of a circuit built afresh with these values. A change that alters the structure (a series resistance that
    /// becomes zero, so an internal node vanishes; a card whose level changes) builds the circuit again.
    /// </summary>
    /// <param name="values">Name/value pairs.</param>
    public void SetParameters(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var changed = new List<int>();
        foreach (KeyValuePair<string, double> kv in values)
        {
            string n = kv.Key.ToLowerInvariant();
            if (!_topLevelParameters.Contains(n))
            {
                throw new KeyNotFoundException($"'{kv.Key}' is not a top-level .param of this deck");
            }

            // A value equal to the present one, bit for bit, changes nothing downstream.
            if (!_scope.TryGetValue(n, out double present) || BitConverter.DoubleToInt64Bits(present) != BitConverter.DoubleToInt64Bits(kv.Value))
            {
                changed.Add(_plan?.ParameterIndex(n) ?? -1);
            }

            _overrides[n] = kv.Value;
        }

        if (_plan is null || AlwaysRebuild)
        {
            Rebuild();
            return;
        }

        if (changed.Count == 0)
        {
            return;
        }

        bool updated;
        try
        {
            updated = UpdateInPlace(changed);
        }
        catch (SpiceParseException)
        {
            // Invalid values: a full build reports them exactly as it would for a fresh circuit.
            updated = false;
        }
        catch
        {
            // Anything else leaves some devices updated and others not: the next design builds afresh.
            _plan = null;
            throw;
        }

        if (!updated)
        {
            Rebuild();
        }
    }

    private void Rebuild()
    {
        _plan = null;
        _engine = Build(_engine);
        _engine.Options = _options;
    }

    /// <summary>
    /// Re-evaluates what the changed parameters reach, in the order a full elaboration evaluates it (top-level scope,
    /// subcircuit scopes parents first, cards, elements), and updates those devices in place. False when a device
    /// cannot take its new values without a change of structure.
    /// </summary>
    private bool UpdateInPlace(List<int> changed)
    {
        ElaborationPlan plan = _plan ?? throw new InvalidOperationException("no plan");
        DeviceFactory factory = _factory ?? throw new InvalidOperationException("no factory");
        _scope.Clear();
        Elaborator.FillTop(_netlist, _overrides, _scope);
        (List<ElaborationPlan.ScopeRecord> scopes, List<int> cards, List<ElaborationPlan.ElementRecord> elements) = plan.Affected(changed);
        foreach (ElaborationPlan.ScopeRecord s in scopes)
        {
            s.Refill();
        }

        foreach (int c in cards)
        {
            ElaborationPlan.CardRecord card = plan.Cards[c];
            ResolvedModel old = card.Resolved;
            card.Resolved = Elaborator.ResolveCard(card.Statement, card.EvaluatedIn);
            factory.Mosfets.Forget(old);
        }

        IReadOnlyList<IDevice> devices = _engine.Devices;
        foreach (ElaborationPlan.ElementRecord r in elements)
        {
            ResolvedModel? model = r.Card >= 0 ? plan.Cards[r.Card].Resolved : null;
            ResolvedElement e = Elaborator.ResolveLeaf(r.Statement, r.Scope, r.Name, r.Nodes, r.Reference, model);
            if (!devices[r.Device].TryUpdate(e, factory))
            {
                return false;
            }
        }

        _engine.SetNodeValues(
            [.. _netlist.Nodesets.Select(ns => ParameterScope.Evaluate(ns.Value, _scope, ns.Location))],
            [.. _netlist.InitialConditions.Select(ic => ParameterScope.Evaluate(ic.Value, _scope, ic.Location))]);
        TrimSizeParameters();
        InPlaceUpdates++;
        return true;
    }

    /// <summary>
    /// Keeps the shared BSIM3 size-parameter caches to the sets the instances hold: in-place updates add the sets of
    /// new sizes, and a long optimisation would otherwise keep every size it visited. Trimmed when they double.
    /// </summary>
    private void TrimSizeParameters()
    {
        if (_factory is not DeviceFactory factory)
        {
            return;
        }

        int total = factory.Mosfets.Bsim3Models.Sum(m => m.SizeParameterCount);
        if (total <= (2 * _sizeSetsAfterTrim) + 16)
        {
            return;
        }

        var inUse = new Dictionary<Bsim3Model, HashSet<Bsim3SizeParameters>>(ReferenceEqualityComparer.Instance);
        foreach (IDevice d in _engine.Devices)
        {
            if (d is Devices.Mosfets.Bsim3.Bsim3 b)
            {
                if (!inUse.TryGetValue(b.Model, out HashSet<Bsim3SizeParameters>? set))
                {
                    set = new HashSet<Bsim3SizeParameters>(ReferenceEqualityComparer.Instance);
                    inUse[b.Model] = set;
                }

                set.Add(b.SizeParameters);
            }
        }

        foreach (Bsim3Model m in factory.Mosfets.Bsim3Models)
        {
            m.TrimSizeParameters(inUse.TryGetValue(m, out HashSet<Bsim3SizeParameters>? set) ? set : []);
        }

        _sizeSetsAfterTrim = factory.Mosfets.Bsim3Models.Sum(m => m.SizeParameterCount);
    }

    /// <summary>Computes the DC operating point (capacitors open, inductors shorted).</summary>
    /// <returns>The result; <see cref="AnalysisResult.Converged"/> is false with the reason and unknown on failure.</returns>
    public OperatingPointResult OperatingPoint()
    {
        _engine.SetTemperature(_temperature);
        NewtonResult r = _engine.SolveOperatingPoint();
        return new OperatingPointResult(_engine.Unknowns.Names, (double[])_engine.Solution.Clone(), r, _engine.Quantities, _engine.Quantities.Capture(_engine.Devices, _engine.Solution));
    }

    /// <summary>
    /// Runs a DC sweep: one or two nested sweeps (first = inner) of independent sources, resistors, <c>temp</c> or
    /// top-level parameters. Each point starts from the previous solution (itl2 iterations) and falls back to the full
    /// operating-point procedure; the sweep stops at the first point that does not converge.
    /// </summary>
    /// <param name="sweeps">Inner sweep first.</param>
    /// <param name="save">Device quantities to record per point, as <c>@m1[gm]</c>.</param>
    /// <returns>The sweep result.</returns>
    public DcSweepResult DcSweep(IReadOnlyList<DcSweep> sweeps, IReadOnlyList<string>? save = null)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        if (sweeps.Count is < 1 or > 2)
        {
            throw new ArgumentException("one or two sweeps are supported", nameof(sweeps));
        }

        double[][] values = [.. sweeps.Select(Points)];
        var saved = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var savedKeys = new List<(string Key, string Device, string Quantity)>();
        foreach (string s in save ?? [])
        {
            string v = s.Trim().ToLowerInvariant();
            int open = v.IndexOf('[', StringComparison.Ordinal);
            if (!v.StartsWith('@') || open < 0 || !v.EndsWith(']'))
            {
                throw new ArgumentException($"save entries must look like @device[quantity], got '{s}'", nameof(save));
            }

            savedKeys.Add((v, v[1..open], v[(open + 1)..^1]));
            saved[v] = [];
        }

        var originals = sweeps.Select(s => CurrentValue(s.Target)).ToArray();
        var points = new List<double[]>();
        var sweepValues = new List<double[]>();
        NewtonResult last = default;
        int outerCount = sweeps.Count == 2 ? values[1].Length : 1;
        try
        {
            for (int o = 0; o < outerCount; o++)
            {
                bool rebuilt = false;
                if (sweeps.Count == 2)
                {
                    rebuilt = Apply(sweeps[1].Target, values[1][o]);
                }

                for (int i = 0; i < values[0].Length; i++)
                {
                    rebuilt |= Apply(sweeps[0].Target, values[0][i]);
                    _engine.SetTemperature(_temperature);

                    // Each inner sweep (and each rebuilt engine) starts afresh; later points continue (ngspice DCtrCurv).
                    last = _engine.SolveSweepPoint(first: i == 0 || rebuilt);
                    rebuilt = false;
                    if (!last.Converged)
                    {
                        return new DcSweepResult(_engine.Unknowns.Names, [.. sweeps.Select(s => s.Target)], sweepValues, points, saved, last);
                    }

                    points.Add((double[])_engine.Solution.Clone());
                    sweepValues.Add(sweeps.Count == 2 ? [values[0][i], values[1][o]] : [values[0][i]]);
                    foreach ((string key, string device, string quantity) in savedKeys)
                    {
                        if (!_devices.TryGetValue(device, out IDevice? d) || !d.TryGetQuantity(quantity, _engine.Solution, out double q))
                        {
                            throw new KeyNotFoundException($"no quantity '{quantity}' on device '{device}'");
                        }

                        saved[key].Add(q);
                    }
                }
            }
        }
        finally
        {
            for (int s = sweeps.Count - 1; s >= 0; s--)
            {
                Apply(sweeps[s].Target, originals[s]);
            }
        }

        return new DcSweepResult(_engine.Unknowns.Names, [.. sweeps.Select(s => s.Target)], sweepValues, points, saved, last);
    }

    /// <summary>Runs the deck's <c>.op</c> and <c>.dc</c> lines in order.</summary>
    /// <param name="save">Device quantities to record in DC sweeps and transients, as <c>@m1[gm]</c>.</param>
    /// <returns>One result per analysis line.</returns>
    public IReadOnlyList<AnalysisResult> RunAnalyses(IReadOnlyList<string>? save = null)
    {
        var results = new List<AnalysisResult>();
        foreach (AnalysisStatement a in _netlist.Analyses)
        {
            switch (a)
            {
                case OpStatement:
                    results.Add(OperatingPoint());
                    break;
                case DcStatement dc:
                    var sweeps = dc.Sweeps.Select(s => new DcSweep(
                        s.Target,
                        ParameterScope.Evaluate(s.Start, _scope, dc.Location),
                        ParameterScope.Evaluate(s.Stop, _scope, dc.Location),
                        ParameterScope.Evaluate(s.Step, _scope, dc.Location))).ToList();
                    foreach (DcSweep s in sweeps)
                    {
                        ValidateTarget(s.Target, dc.Location);
                        try
                        {
                            _ = Points(s);
                        }
                        catch (ArgumentException e)
                        {
                            throw new SpiceParseException(dc.Location, $".dc {s.Target}: {e.Message}");
                        }
                    }

                    results.Add(DcSweep(sweeps, save));
                    break;
                case AcStatement ac:
                    results.Add(RunAc(ac));
                    break;
                case NoiseStatement noise:
                    results.Add(RunNoise(noise));
                    break;
                case TranStatement tran:
                    results.Add(RunTransient(tran, save));
                    break;
                default:
                    throw new SpiceParseException(a.Location, $"analysis {a.GetType().Name.Replace("Statement", string.Empty, StringComparison.Ordinal).ToLowerInvariant()} is not implemented yet");
            }
        }

        return results;
    }

    private void ValidateTarget(string target, SourceLocation location)
    {
        if (target == "temp" || _topLevelParameters.Contains(target))
        {
            return;
        }

        if (!_devices.TryGetValue(target, out IDevice? d) || d is not (ISweepableSource or Resistor))
        {
            throw new SpiceParseException(location, $".dc: '{target}' is not an independent source, resistor, 'temp' or top-level parameter");
        }
    }

    private static double[] Points(DcSweep s)
    {
        if (!double.IsFinite(s.Start) || !double.IsFinite(s.Stop) || !double.IsFinite(s.Step))
        {
            throw new ArgumentException("sweep limits must be finite");
        }

        if (s.Step == 0 || s.Start == s.Stop)
        {
            return [s.Start];
        }

        // Values accumulate step by step and the last one may pass stop by 1e3 machine epsilons, exactly as
        // ngspice's DCtrCurv walks a sweep, so both simulators visit the same source values.
        double step = Math.Sign(s.Stop - s.Start) * Math.Abs(s.Step);
        double expected = Math.Floor(((s.Stop - s.Start) / step) + 1e-9) + 1;
        if (expected > MaxSweepPoints)
        {
            throw new ArgumentException($"sweep has more than {MaxSweepPoints} points");
        }

        var p = new List<double>((int)expected + 1);
        for (double v = s.Start; Math.Sign(step) * (v - s.Stop) <= SweepEndTolerance; v += step)
        {
            p.Add(v);
        }

        return [.. p];
    }

    private double CurrentValue(string target)
    {
        if (target == "temp")
        {
            return _temperature;
        }

        if (_devices.TryGetValue(target, out IDevice? d))
        {
            switch (d)
            {
                case ISweepableSource src:
                    return src.DcValue;
                case Resistor r:
                    return r.Resistance;
            }
        }

        if (_topLevelParameters.Contains(target))
        {
            return GetParameter(target);
        }

        throw new ArgumentException($"'{target}' is not an independent source, resistor, 'temp' or top-level parameter");
    }

    /// <summary>Applies a sweep value; true when the engine was rebuilt (parameter change).</summary>
    private bool Apply(string target, double value)
    {
        if (target == "temp")
        {
            _temperature = value;
            return false;
        }

        if (_devices.TryGetValue(target, out IDevice? d))
        {
            switch (d)
            {
                case ISweepableSource src:
                    src.DcValue = value;
                    return false;
                case Resistor r:
                    r.Resistance = value;
                    return false;
            }
        }

        if (_topLevelParameters.Contains(target))
        {
            SetParameter(target, value);
            return true;
        }

        throw new ArgumentException($"'{target}' is not an independent source, resistor, 'temp' or top-level parameter");
    }

    private SimulationOptions DeckOptions()
    {
        var o = new SimulationOptions();
        foreach (KeyValuePair<string, (Expression? Value, SourceLocation Location)> kv in _netlist.Options)
        {
            if (kv.Key is "method" or "maxord")
            {
                o = TransientOption(o, kv.Key, kv.Value.Value, kv.Value.Location);
            }
            else if (OptionAliases.TryGetValue(kv.Key, out string? property))
            {
                if (kv.Value.Value is null)
                {
                    throw new SpiceParseException(kv.Value.Location, $"option '{kv.Key}' needs a value");
                }

                double v = ParameterScope.Evaluate(kv.Value.Value, _scope, kv.Value.Location);
                o = property switch
                {
                    nameof(SimulationOptions.RelTol) => o with { RelTol = v },
                    nameof(SimulationOptions.AbsTol) => o with { AbsTol = v },
                    nameof(SimulationOptions.VnTol) => o with { VnTol = v },
                    nameof(SimulationOptions.ChgTol) => o with { ChgTol = v },
                    nameof(SimulationOptions.TrTol) => o with { TrTol = v },
                    nameof(SimulationOptions.Gmin) => o with { Gmin = v },
                    nameof(SimulationOptions.Itl1) => o with { Itl1 = (int)v },
                    nameof(SimulationOptions.Itl2) => o with { Itl2 = (int)v },
                    nameof(SimulationOptions.Itl4) => o with { Itl4 = (int)v },
                    nameof(SimulationOptions.MaxStep) => o with { MaxStep = v },
                    nameof(SimulationOptions.Temperature) => o with { Temperature = v },
                    nameof(SimulationOptions.NominalTemperature) => o with { NominalTemperature = v },
                    nameof(SimulationOptions.PivotAbsoluteTolerance) => o with { PivotAbsoluteTolerance = v },
                    nameof(SimulationOptions.PivotRelativeTolerance) => o with { PivotRelativeTolerance = v },
                    nameof(SimulationOptions.GminSteps) => o with { GminSteps = (int)v },
                    nameof(SimulationOptions.SourceSteps) => o with { SourceSteps = (int)v },
                    nameof(SimulationOptions.DefaultL) => o with { DefaultL = v },
                    nameof(SimulationOptions.DefaultW) => o with { DefaultW = v },
                    nameof(SimulationOptions.DefaultAd) => o with { DefaultAd = v },
                    _ => o with { DefaultAs = v },
                };
            }
            else if (HarmlessOptions.Contains(kv.Key))
            {
                continue;
            }
            else if (UnsupportedOptions.Contains(kv.Key))
            {
                throw new SpiceParseException(kv.Value.Location, $"option '{kv.Key}' is not supported (it would change results)");
            }
            else
            {
                _warnings.Add($"{kv.Value.Location}: unknown option '{kv.Key}' ignored");
            }
        }

        try
        {
            o.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new SpiceParseException(new SourceLocation("<.options>", 0), $"invalid option value: {e.Message}");
        }

        return o;
    }

    /// <summary>
    /// Elaborates the deck with the current parameter values, builds devices, unknowns and slots, and reuses the
    /// previous engine's sparse LU when the matrix pattern is identical (same topology).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Engine Build(Engine? previous)
    {
        _scope = new ParameterScope(null);
        var plan = new ElaborationPlan(_netlist, _scope);
        List<ResolvedElement> elements = Elaborator.Elaborate(_netlist, _overrides, _scope, plan);
        if (previous is null)
        {
            // Connectivity depends on the netlist text only, never on parameter values: check it once.
            TopologyCheck.Run(elements);
        }

        SimulationOptions options = _options;
        double tnomKelvin = options.NominalTemperature + Semiconductor.CelsiusToKelvin;
        var factory = new DeviceFactory(tnomKelvin, options, _warnings);
        var devices = new List<IDevice>(elements.Count);
        var byName = new Dictionary<string, IDevice>(StringComparer.Ordinal);
        foreach (ResolvedElement e in elements)
        {
            IDevice d = factory.Create(e);
            if (!byName.TryAdd(d.Name, d))
            {
                throw new SpiceParseException(e.Location, $"duplicate device name '{d.Name}' after flattening");
            }

            devices.Add(d);
        }

        var unknowns = new UnknownTable();

        // Circuit nodes first, in order of appearance, so node unknowns keep their indices across rebuilds.
        foreach (ResolvedElement e in elements)
        {
            foreach (string n in e.Nodes)
            {
                unknowns.Node(n);
            }
        }

        foreach (IDevice d in devices)
        {
            d.AllocateUnknowns(unknowns);
        }

        foreach (IDevice d in devices)
        {
            d.Bind(byName);
        }

        var structure = new MatrixStructureBuilder(unknowns.Count);

        // Every node gets a diagonal slot: gmin stepping and nodesets write there.
        for (int i = 0; i < unknowns.Count; i++)
        {
            if (unknowns.Kinds[i] == UnknownKind.Voltage)
            {
                structure.GetSlot(i, i);
            }
        }

        foreach (IDevice d in devices)
        {
            d.AllocateSlots(structure);
        }

        var initialConditions = new List<(int, double)>();
        foreach (NodeValueStatement ic in _netlist.InitialConditions)
        {
            if (!unknowns.TryGet(ic.Node, out int idx))
            {
                throw new SpiceParseException(ic.Location, $".ic: node '{ic.Node}' does not exist");
            }

            initialConditions.Add((idx, ParameterScope.Evaluate(ic.Value, _scope, ic.Location)));
        }

        var nodesets = new List<(int, double)>();
        foreach (NodeValueStatement ns in _netlist.Nodesets)
        {
            if (!unknowns.TryGet(ns.Node, out int idx))
            {
                throw new SpiceParseException(ns.Location, $".nodeset: node '{ns.Node}' does not exist");
            }

            nodesets.Add((idx, ParameterScope.Evaluate(ns.Value, _scope, ns.Location)));
        }

        SparseLu lu = previous is not null && SamePattern(previous, unknowns, structure)
            ? previous.Lu
            : new SparseLu(unknowns.Count, structure.Rows, structure.Columns)
            {
                AbsoluteThreshold = options.PivotAbsoluteTolerance,
                RelativeThreshold = options.PivotRelativeTolerance,
            };
        _devices = byName;
        _plan = plan;
        _factory = factory;
        _sizeSetsAfterTrim = factory.Mosfets.Bsim3Models.Sum(m => m.SizeParameterCount);
        FullBuilds++;
        return new Engine(unknowns, devices, structure, lu, nodesets, initialConditions, options);
    }

    private static bool SamePattern(Engine previous, UnknownTable unknowns, MatrixStructureBuilder structure)
    {
        if (previous.Unknowns.Count != unknowns.Count || !previous.Unknowns.Names.SequenceEqual(unknowns.Names))
        {
            return false;
        }

        return previous.PatternRows.SequenceEqual(structure.Rows) && previous.PatternColumns.SequenceEqual(structure.Columns);
    }

    /// <summary>Formats a number the way messages in this library do.</summary>
    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

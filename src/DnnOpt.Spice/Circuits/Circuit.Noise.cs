using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Devices.Sources;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Circuits;

public sealed partial class Circuit
{
    private NoiseSystem? _noiseSystem;
    private AcSystem? _noiseOwner;

    /// <summary>
    /// Noise analysis (ngspice <c>.noise v(out[,ref]) src ...</c>): the operating point, then at each frequency the
    /// output noise density of all generators (resistor thermal 4kT/R; diode RS thermal, shot 2qI and KF/AF flicker;
    /// MOS1 RD/RS thermal, channel thermal 8kT|gm|/3 and KF/AF flicker) through the adjoint network, the gain from the
    /// input source (excited alone with a unit phasor, as ngspice does), and the totals integrated as ngspice
    /// integrates them. Densities are reported as ngspice 39 stores them: square roots (V/√Hz).
    /// </summary>
    /// <param name="output">Output node.</param>
    /// <param name="reference">Reference node, or null for ground.</param>
    /// <param name="inputSource">Independent V or I source with an AC value, the input the noise is referred to.</param>
    /// <param name="sweep">The frequency sweep.</param>
    /// <returns>The spectra and totals; not converged when the operating point failed or a point was singular.</returns>
    /// <exception cref="ArgumentException">Unknown node, or the source is missing, not V/I, or has no AC value.</exception>
    /// <exception cref="NotSupportedException">A device has no small-signal or no noise model.</exception>
    public NoiseResult Noise(string output, string? reference, string inputSource, FrequencySweep sweep)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputSource);
        ArgumentNullException.ThrowIfNull(sweep);
        int outNode = NoiseNode(output);
        int refNode = reference is null ? -1 : NoiseNode(reference);
        string src = inputSource.ToLowerInvariant();
        if (!_devices.TryGetValue(src, out IDevice? input))
        {
            throw new ArgumentException($"noise input source '{inputSource}' is not in the circuit");
        }

        bool acGiven = input switch
        {
            VoltageSource v => v.Ac is not null,
            CurrentSource i => i.Ac is not null,
            _ => throw new ArgumentException($"noise input source '{inputSource}' is not an independent V or I source"),
        };
        if (!acGiven)
        {
            throw new ArgumentException($"noise input source '{inputSource}' has no AC value");
        }

        double[] frequencies = sweep.Frequencies(_options.RelTol, noise: true);
        _engine.SetTemperature(_temperature);
        NewtonResult op = _engine.SolveOperatingPoint();
        var outputSpectrum = new double[frequencies.Length];
        var inputSpectrum = new double[frequencies.Length];
        if (!op.Converged)
        {
            return new NoiseResult(_engine.Unknowns.Names, frequencies, outputSpectrum, inputSpectrum, 0, double.NaN, double.NaN, op);
        }

        AcSystem ac = SmallSignalSystem();
        ac.Load();
        if (_noiseSystem is null || !ReferenceEquals(_noiseOwner, ac))
        {
            _noiseSystem = new NoiseSystem(ac, _engine.Devices);
            _noiseOwner = ac;
        }

        NoiseSystem noise = _noiseSystem;
        Array.Clear(noise.Input);
        if (input is VoltageSource vs)
        {
            vs.AddUnitExcitation(noise.Input);
        }
        else
        {
            ((CurrentSource)input).AddUnitExcitation(noise.Input);
        }

        noise.Context.Temperature = _temperature + Semiconductor.CelsiusToKelvin;
        noise.Start();
        double previous = frequencies.Length > 0 ? frequencies[0] : 0;
        for (int p = 0; p < frequencies.Length; p++)
        {
            (LuResult lu, double density, double gainSqInv) = noise.Point(frequencies[p], previous, outNode, refNode);
            if (lu.Status != LuStatus.Ok)
            {
                int n = _engine.Unknowns.Count;
                var singular = new NewtonResult(NewtonExit.Singular, op.Iterations, lu.Unknown, lu.Unknown >= 0 && lu.Unknown < n ? _engine.Unknowns.Names[lu.Unknown] : null);
                return new NoiseResult(_engine.Unknowns.Names, frequencies, outputSpectrum, inputSpectrum, p, double.NaN, double.NaN, singular);
            }

            outputSpectrum[p] = Math.Sqrt(density);
            inputSpectrum[p] = Math.Sqrt(density * gainSqInv);
            previous = frequencies[p];
        }

        // ngspice writes the integrated plot only when fstart differs from fstop.
        bool integrated = sweep.Start != sweep.Stop;
        (double outTotal, double inTotal) = noise.Totals;
        return new NoiseResult(
            _engine.Unknowns.Names,
            frequencies,
            outputSpectrum,
            inputSpectrum,
            frequencies.Length,
            integrated ? Math.Sqrt(outTotal) : double.NaN,
            integrated ? Math.Sqrt(inTotal) : double.NaN,
            op);
    }

    private int NoiseNode(string node)
    {
        string n = node.ToLowerInvariant();
        if (UnknownTable.IsGround(n))
        {
            return -1;
        }

        return _engine.Unknowns.TryGet(n, out int i) ? i : throw new ArgumentException($"noise output node '{node}' does not exist");
    }

    private NoiseResult RunNoise(NoiseStatement statement)
    {
        // ngspice then stores the spectra only every pts_per_summary points and adds per-device vectors: refuse rather
        // than return different vectors.
        if (statement.PointsPerSummary is not null && ParameterScope.Evaluate(statement.PointsPerSummary, _scope, statement.Location) != 0)
        {
            throw new Parsing.SpiceParseException(statement.Location, ".noise: pts_per_summary (per-device noise summaries) is not supported");
        }

        FrequencySweep sweep = EvaluateSweep(statement.Sweep, statement.Location, "noise");
        try
        {
            return Noise(statement.OutputNode, statement.ReferenceNode, statement.InputSource, sweep);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new Parsing.SpiceParseException(statement.Location, $".noise: {e.Message}");
        }
    }
}

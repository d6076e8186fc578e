using BenchmarkDotNet.Attributes;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// BSIM3 on the shipped 0.18 µm cards: one device evaluation (channel current with its full Jacobian, junctions and
/// stamps, as one Newton load of one instance costs), the OTA operating point and 201-point DC sweep, and a 100-stage
/// inverter chain (operating point and 201-point DC sweep). ngspice's numbers for the same decks come from <see cref="NgspicePeer"/>.
/// </summary>
[MemoryDiagnoser]
public class Bsim3Benchmarks
{
    private Circuit _ota = null!;
    private Circuit _chain = null!;
    private DcSweep[] _otaSweep = [];
    private DcSweep[] _chainSweep = [];
    private IDevice[] _otaMosfets = [];
    private LoadContext _context = null!;
    private double[] _converged = [];
    private double[] _moved = [];
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _ota = Circuit.Parse(Decks.WithEnd(Bsim3Decks.Ota));
        _chain = Circuit.Parse(Decks.WithEnd(Bsim3Decks.InverterChain(100)));
        _otaSweep = [new DcSweep(Bsim3Decks.OtaSweep.Source, Bsim3Decks.OtaSweep.Start, Bsim3Decks.OtaSweep.Stop, Bsim3Decks.OtaSweep.Step)];
        _chainSweep = [new DcSweep(Bsim3Decks.ChainSweep.Source, Bsim3Decks.ChainSweep.Start, Bsim3Decks.ChainSweep.Stop, Bsim3Decks.ChainSweep.Step)];
        if (!_ota.OperatingPoint().Converged || !_chain.OperatingPoint().Converged)
        {
            throw new InvalidOperationException("benchmark circuits must converge");
        }

        _otaMosfets = [.. _ota.DeviceNames.Where(n => n[0] == 'm').Select(n => _ota.FindDevice(n)!)];
        _context = _ota.Engine.Context;
        _context.Mode = LoadMode.Float;
        _converged = (double[])_ota.Engine.Solution.Clone();
        _moved = [.. _converged.Select((v, i) => v + (1e-6 * ((i % 7) + 1)))];
    }

    /// <summary>
    /// One Newton load of the six OTA transistors near the converged operating point (limiting, junctions, channel
    /// current with gm/gds/gmbs and substrate conductances, stamps): per-device cost = this / 6.
    /// </summary>
    [Benchmark]
    public double OtaLoadSixBsim3Devices()
    {
        // Alternate two nearby bias points, as Newton does: at a fixed Vbs a device would reuse its Vbs-only terms.
        _flip = !_flip;
        _context.Solution = _flip ? _moved : _converged;
        foreach (IDevice d in _otaMosfets)
        {
            d.Load(_context);
        }

        return _context.Rhs[0];
    }

    [Benchmark]
    public double OtaOperatingPoint() => _ota.OperatingPoint().Voltage("out");

    [Benchmark]
    public double OtaDcSweep201() => _ota.DcSweep(_otaSweep).Get("v(out)")[200];

    [Benchmark]
    public double Chain100OperatingPoint() => _chain.OperatingPoint().Voltage("n100");

    [Benchmark]
    public double Chain100DcSweep201() => _chain.DcSweep(_chainSweep).Get("v(n100)")[200];
}

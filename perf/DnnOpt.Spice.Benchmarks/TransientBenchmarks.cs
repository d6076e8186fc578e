using BenchmarkDotNet.Attributes;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// A transient of about 1000 steps of the two-stage Miller OTA step response on a circuit built once (what a sizing
/// loop pays per design for its transient testbench). ngspice's number for the same deck comes from
/// <see cref="NgspicePeer"/>.
/// </summary>
[MemoryDiagnoser]
public class TransientBenchmarks
{
    private Circuit _ota = null!;
    private TransientSettings _settings = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ota = Circuit.Parse(Decks.WithEnd(TransientDecks.MillerOta));
        _settings = new TransientSettings(TransientDecks.Step, TransientDecks.Stop);
        if (!_ota.Transient(_settings).Converged)
        {
            throw new InvalidOperationException("benchmark transient must complete");
        }
    }

    [Benchmark]
    public double MillerOtaTransient1000()
    {
        TransientResult r = _ota.Transient(_settings);
        return r.Time[^1] + r.Count;
    }
}

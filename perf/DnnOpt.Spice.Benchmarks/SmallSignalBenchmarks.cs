using BenchmarkDotNet.Attributes;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// 181-point AC and 181-point noise analyses of the 5-transistor OTA (operating point included, as ngspice's
/// <c>ac</c> and <c>noise</c> commands do), on a circuit built once. ngspice's numbers for the same deck and sweeps come
/// from <see cref="NgspicePeer"/> (<c>--ngspice</c>).
/// </summary>
[MemoryDiagnoser]
public class SmallSignalBenchmarks
{
    private static readonly FrequencySweep Sweep = new(FrequencySweepKind.Decade, 20, 1, 1e9);
    private Circuit _ota = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ota = Circuit.Parse(Decks.WithEnd(Decks.OtaSmallSignal));
        if (!_ota.Ac(Sweep).Converged || !_ota.Noise("out", null, "vinp", Sweep).Converged)
        {
            throw new InvalidOperationException("benchmark circuit must converge");
        }
    }

    [Benchmark]
    public int OtaAc181() => _ota.Ac(Sweep).Count;

    [Benchmark]
    public double OtaNoise181() => _ota.Noise("out", null, "vinp", Sweep).OutputNoiseTotal;
}

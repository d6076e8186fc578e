using BenchmarkDotNet.Attributes;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>
/// Operating point and a 201-point DC sweep of the 5-transistor OTA and of a 1000-stage inverter chain, on a circuit
/// built once (what a sizing loop does). ngspice's numbers for the same decks come from <see cref="NgspicePeer"/>.
/// </summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private Circuit _ota = null!;
    private Circuit _chain = null!;
    private DcSweep[] _otaSweep = [];
    private DcSweep[] _chainSweep = [];

    [GlobalSetup]
    public void Setup()
    {
        _ota = Circuit.Parse(Decks.WithEnd(Decks.Ota));
        _chain = Circuit.Parse(Decks.WithEnd(Decks.InverterChain(1000)));
        _otaSweep = [new DcSweep(Decks.OtaSweep.Source, Decks.OtaSweep.Start, Decks.OtaSweep.Stop, Decks.OtaSweep.Step)];
        _chainSweep = [new DcSweep(Decks.ChainSweep.Source, Decks.ChainSweep.Start, Decks.ChainSweep.Stop, Decks.ChainSweep.Step)];
        if (!_ota.OperatingPoint().Converged || !_chain.OperatingPoint().Converged)
        {
            throw new InvalidOperationException("benchmark circuits must converge");
        }
    }

    [Benchmark]
    public double OtaOperatingPoint() => _ota.OperatingPoint().Voltage("out");

    [Benchmark]
    public double OtaDcSweep201() => _ota.DcSweep(_otaSweep).Get("v(out)")[200];

    [Benchmark]
    public double ChainOperatingPoint() => _chain.OperatingPoint().Voltage("n1000");

    [Benchmark]
    public double ChainDcSweep201() => _chain.DcSweep(_chainSweep).Get("v(n1000)")[200];

    [Benchmark]
    public double OtaParseBuildOperatingPoint() => Circuit.Parse(Decks.WithEnd(Decks.Ota)).OperatingPoint().Voltage("out");
}

using BenchmarkDotNet.Running;
using DnnOpt.Spice.Benchmarks;

// `--ngspice`: the peer table (ngspice and the managed engine on the same decks, ratios); otherwise BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--ngspice")
{
    return NgspicePeer.Run(args.Length > 1 ? args[1] : null);
}

BenchmarkSwitcher.FromAssembly(typeof(SimulatorBenchmarks).Assembly).Run(args);
return 0;

using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(DnnOpt.Optimization.Benchmarks.ModelingTimeBenchmarks).Assembly).Run(args);

using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(DnnOpt.Neural.Benchmarks.TrainingStepBenchmarks).Assembly).Run(args);

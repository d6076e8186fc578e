using BenchmarkDotNet.Running;

// Runs the managed training step and the LibTorch one in the same process and report.
BenchmarkSwitcher.FromTypes([typeof(DnnOpt.Neural.Benchmarks.TrainingStepBenchmarks), typeof(DnnOpt.Neural.TorchPeer.TorchTrainingStepBenchmarks)]).Run(args);

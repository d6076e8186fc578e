using DnnOpt.Optimization.Baselines;
using DnnOpt.Optimization.Benchmarks;

namespace DnnOpt.Optimization.Tests.Baselines;

public sealed class ResumeAllOptimizersTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnnopt-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, int> Cases => new()
    {
        { "Random", 1 }, { "DE", 1 }, { "DE", 3 }, { "SA", 1 }, { "SA", 2 }, { "BO-wEI", 1 }, { "BO-wEI", 2 }, { "GASPAD", 1 }, { "GASPAD", 3 },
    };

    private static IOptimizer Make(string name) => name switch
    {
        "Random" => new RandomSearch(),
        "DE" => new DifferentialEvolution(),
        "SA" => new SimulatedAnnealing(),
        "BO-wEI" => new BayesianOptimization(),
        "GASPAD" => new Gaspad(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resumed_run_ends_exactly_like_the_uninterrupted_one(string optimizer, int batch)
    {
        var problem = BenchmarkSuite.WeldedBeam();
        string full = Path.Combine(_dir, "full.csv");
        string part = Path.Combine(_dir, "part.csv");
        var options = new RunOptions { Budget = 45, BatchSize = batch, HistoryPath = full };
        var uninterrupted = new OptimizationRunner().Run(problem, Make(optimizer), options, new Random(17));

        var lines = File.ReadAllLines(full);
        File.WriteAllText(part, string.Join('\n', lines.Take(1 + 31)) + "\n" + lines[32][..10]);
        var resumed = new OptimizationRunner().Run(problem, Make(optimizer), options with { HistoryPath = part }, new Random(17));

        Assert.Equal(31, resumed.ReplayedEvaluations);
        Assert.Equal(uninterrupted.Evaluations, resumed.Evaluations);
        for (int i = 0; i < uninterrupted.Evaluations; i++)
        {
            Assert.Equal(uninterrupted.Observations[i].Unit.ToArray(), resumed.Observations[i].Unit.ToArray());
            Assert.Equal(uninterrupted.Observations[i].Fom, resumed.Observations[i].Fom);
        }
    }
}

using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.Tests;

public sealed class RunHistoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnnopt-history-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Round_trip_preserves_every_field_bit_for_bit()
    {
        var problem = new ShiftedSphere();
        string path = Path.Combine(_dir, "h.csv");
        var result = new OptimizationRunner().Run(problem, new RandomSearch(), new RunOptions { Budget = 60, HistoryPath = path }, new Random(3));
        Assert.Contains(result.Observations, o => o.IsFailure);  // the sample must exercise the failure path
        Assert.Contains(result.Observations, o => o.IsFeasible);

        var read = RunHistory.Read(path, problem);
        Assert.Equal(result.Observations.Count, read.Count);
        for (int i = 0; i < read.Count; i++)
        {
            var a = result.Observations[i];
            var b = read[i];
            Assert.Equal(a.Index, b.Index);
            Assert.Equal(a.Batch, b.Batch);
            Assert.Equal(a.Unit.ToArray(), b.Unit.ToArray());
            Assert.Equal(a.Physical.ToArray(), b.Physical.ToArray());
            Assert.Equal(a.Fom, b.Fom);
            Assert.Equal(a.Violation, b.Violation);
            Assert.Equal(a.IsFeasible, b.IsFeasible);
            Assert.Equal(a.Evaluation.Status, b.Evaluation.Status);
            Assert.Equal(a.Evaluation.Objective, b.Evaluation.Objective);
            Assert.Equal(a.Evaluation.Constraints.ToArray(), b.Evaluation.Constraints.ToArray());
            Assert.Equal(a.Evaluation.FailureReason, b.Evaluation.FailureReason);
            Assert.Equal(a.Timing, b.Timing);
        }
    }

    [Fact]
    public void Header_names_every_column()
    {
        Assert.Equal(
            "index,batch,status,feasible,fom,violation,f0.sumsq,c.sum01,u.x0,u.x1,x.x0,x.x1,eval_s,model_s,elapsed_s,reason",
            RunHistory.Header(new ShiftedSphere(2)));
    }

    [Fact]
    public void A_partial_last_line_is_ignored_and_a_foreign_header_rejected()
    {
        var problem = new ShiftedSphere();
        string path = Path.Combine(_dir, "h.csv");
        new OptimizationRunner().Run(problem, new RandomSearch(), new RunOptions { Budget = 10, HistoryPath = path }, new Random(3));
        string text = File.ReadAllText(path);
        File.WriteAllText(path, text + "10,10,ok,0,0.5");
        Assert.Equal(10, RunHistory.Read(path, problem).Count);

        Assert.Throws<InvalidDataException>(() => RunHistory.Read(path, new ShiftedSphere(2)));
    }

    [Fact]
    public void A_malformed_complete_line_is_an_error_with_its_line_number()
    {
        var problem = new ShiftedSphere();
        string path = Path.Combine(_dir, "h.csv");
        new OptimizationRunner().Run(problem, new RandomSearch(), new RunOptions { Budget = 3, HistoryPath = path }, new Random(3));
        var lines = File.ReadAllLines(path);
        lines[2] = lines[2].Replace(",ok,", ",maybe,", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);
        var ex = Assert.Throws<InvalidDataException>(() => RunHistory.Read(path, problem));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class RunHistoryMetricsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dnnopt-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Metrics_are_recorded_in_their_own_columns_and_read_back()
    {
        var problem = new MetricProblem();
        string path = Path.Combine(_dir, "m.csv");
        var result = new OptimizationRunner().Run(problem, new DnnOpt.Optimization.Baselines.RandomSearch(), new RunOptions { Budget = 40, HistoryPath = path }, new Random(1));
        Assert.StartsWith("index,batch,status,feasible,fom,violation,f0.f,c.g,m.norm,m.a_raw,u.a,", File.ReadLines(path).First(), StringComparison.Ordinal);
        Assert.Contains(result.Observations, o => o.IsFailure);

        var read = RunHistory.Read(path, problem);
        for (int i = 0; i < read.Count; i++)
        {
            var a = result.Observations[i].Evaluation;
            var b = read[i].Evaluation;
            Assert.Equal(2, b.Metrics.Length);
            Assert.Equal(a.Metrics.ToArray(), b.Metrics.ToArray());
            if (b.Succeeded)
            {
                Tolerance.Close(b.Objective, b.Metrics[0], relative: 0, what: "norm metric");
            }
            else
            {
                Assert.True(double.IsNaN(b.Metrics[0]));
                Assert.True(b.Metrics[1] > 0.9);
            }
        }
    }

    [Fact]
    public void A_wrong_number_of_metrics_is_a_failed_evaluation()
    {
        var result = new OptimizationRunner().Run(new MetricProblem(wrongCount: true), new DnnOpt.Optimization.Baselines.RandomSearch(), new RunOptions { Budget = 3 }, new Random(1));
        Assert.All(result.Observations, o => Assert.Contains("1 metrics, it declares 2", o.Evaluation.FailureReason, StringComparison.Ordinal));
    }
}

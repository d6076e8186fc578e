using System.Text;

namespace DnnOpt.Optimization;

/// <summary>
/// Appends observations to a run-history file (<see cref="RunHistory"/>), one flushed line each. Not thread-safe: the
/// runner serialises writes.
/// </summary>
public sealed class RunHistoryWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private readonly int _constraintCount;
    private readonly int _metricCount;

    private RunHistoryWriter(FileStream stream, IProblem problem)
    {
        _stream = stream;
        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        _constraintCount = problem.Constraints.Count;
        _metricCount = problem.MetricNames.Count;
    }

    /// <summary>Creates (or overwrites) a history file for <paramref name="problem"/> and writes its header.</summary>
    public static RunHistoryWriter Create(string path, IProblem problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(problem);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var writer = new RunHistoryWriter(stream, problem);
        writer.WriteRaw(RunHistory.Header(problem));
        return writer;
    }

    /// <summary>
    /// Opens an existing history for appending: reads its complete lines into <paramref name="existing"/>, cuts off a
    /// partial last line, and positions at the end. A file with no complete header is started afresh.
    /// </summary>
    /// <exception cref="InvalidDataException">The file belongs to another problem or is malformed.</exception>
    public static RunHistoryWriter Append(string path, IProblem problem, out IReadOnlyList<Observation> existing)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(problem);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            int keep = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            string text = Encoding.UTF8.GetString(bytes, 0, keep);
            existing = RunHistory.Parse(text, problem, path);
            stream.SetLength(keep);
            stream.Seek(keep, SeekOrigin.Begin);
            var writer = new RunHistoryWriter(stream, problem);
            if (keep == 0)
            {
                writer.WriteRaw(RunHistory.Header(problem));
            }

            return writer;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one observation and flushes it to the operating system.</summary>
    public void Write(Observation observation) => WriteRaw(RunHistory.FormatLine(observation, _constraintCount, _metricCount));

    /// <inheritdoc/>
    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }

    private void WriteRaw(string line)
    {
        _writer.Write(line);
        _writer.Write('\n');
        _writer.Flush();
    }
}

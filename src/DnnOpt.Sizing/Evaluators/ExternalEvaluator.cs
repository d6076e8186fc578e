using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DnnOpt.Sizing.Evaluators;

/// <summary>
/// An external evaluator command (a problem file's <c>evaluator:</c>) that speaks the JSON-lines protocol of
/// <c>dnnopt evaluate</c>: started once, it reads one request per line on stdin,
/// <c>{"id": 7, "x": {"w1": 1.2e-6, "n1": 3}}</c>, and writes one reply per line on stdout,
/// <c>{"id": 7, "metrics": {"power": 7.1e-4, "dc_gain": 63.2}}</c> or <c>{"id": 7, "error": "why"}</c>.
/// </summary>
/// <remarks>
/// A crashed, hung or garbled evaluator gives a failed evaluation, never a crashed run: a reply that does not come
/// within the timeout kills the process; a process that exits, a reply that is not JSON or carries another id all
/// fail the request, and the next request starts a fresh process. Each request is tried once (a failure is a result;
/// nothing is retried forever). Requests are serialised: one process, one request in flight. The evaluator's stderr
/// is drained continuously (so it cannot block on a full pipe); its last lines go into failure reasons.
/// </remarks>
public sealed class ExternalEvaluator : IDisposable
{
    private const int StderrLines = 5;
    private readonly string _command;
    private readonly string _workingDirectory;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private readonly Queue<string> _stderr = new();
    private Process? _process;
    private long _nextId;
    private bool _disposed;

    /// <summary>Creates the client; the process starts with the first request.</summary>
    /// <param name="command">Shell command line (run by <c>/bin/sh -c</c>, or <c>cmd /c</c> on Windows).</param>
    /// <param name="workingDirectory">Directory the command runs in (the problem file's).</param>
    /// <param name="timeout">Longest wait for one reply.</param>
    public ExternalEvaluator(string command, string workingDirectory, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _command = command;
        _workingDirectory = workingDirectory;
        _timeout = timeout;
    }

    /// <summary>Number of processes started so far (restarts after crashes and timeouts included).</summary>
    public int ProcessesStarted { get; private set; }

    /// <summary>Sends one design and waits for its metrics.</summary>
    /// <param name="variables">Physical values by variable name.</param>
    /// <param name="metrics">The reply's metrics by name (lower case) when it succeeded.</param>
    /// <returns>Null on success, otherwise why the evaluation failed.</returns>
    public string? Evaluate(IReadOnlyList<KeyValuePair<string, double>> variables, out Dictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(variables);
        metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long id = ++_nextId;
            string request = Request(id, variables);
            Process process;
            try
            {
                process = _process is { HasExited: false } p ? p : Start();
                process.StandardInput.WriteLine(request);
                process.StandardInput.Flush();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                Stop();
                return $"evaluator could not take the request: {e.Message}{StderrTail()}";
            }

            Task<string?> read = process.StandardOutput.ReadLineAsync();
            if (!read.Wait(_timeout))
            {
                Stop();
                return string.Create(CultureInfo.InvariantCulture, $"evaluator gave no reply within {_timeout.TotalSeconds:G4} s (stopped; the next request restarts it){StderrTail()}");
            }

            string? line = read.Result;
            if (line is null)
            {
                if (process.WaitForExit(1000))
                {
                    process.WaitForExit(); // lets the stderr reader deliver the last lines
                }

                string code = process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?";
                Stop();
                return $"evaluator exited (code {code}) before replying{StderrTail()}";
            }

            string? error = Parse(line, id, metrics);
            if (error is not null && error.StartsWith("garbled", StringComparison.Ordinal))
            {
                // After a reply we cannot read, the stream may be out of step: start afresh.
                Stop();
            }

            return error;
        }
    }

    /// <summary>Closes the evaluator's stdin and stops it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_process is { HasExited: false } p)
            {
                try
                {
                    p.StandardInput.Close();
                    p.WaitForExit(2000);
                }
                catch (IOException)
                {
                }
            }

            Stop();
        }
    }

    private static string Request(long id, IReadOnlyList<KeyValuePair<string, double>> variables)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteStartObject("x");
            foreach ((string name, double value) in variables)
            {
                w.WriteNumber(name, value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? Parse(string line, long id, Dictionary<string, double> metrics)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return $"garbled reply (not JSON: {e.Message}): {Clip(line)}";
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out JsonElement rid) || !rid.TryGetInt64(out long got))
            {
                return $"garbled reply (no numeric id): {Clip(line)}";
            }

            if (got != id)
            {
                return string.Create(CultureInfo.InvariantCulture, $"garbled reply (id {got}, expected {id})");
            }

            if (root.TryGetProperty("error", out JsonElement err))
            {
                return "evaluator: " + (err.ValueKind == JsonValueKind.String ? err.GetString() : err.GetRawText());
            }

            if (!root.TryGetProperty("metrics", out JsonElement m) || m.ValueKind != JsonValueKind.Object)
            {
                return $"garbled reply (neither metrics nor error): {Clip(line)}";
            }

            foreach (JsonProperty p in m.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number)
                {
                    metrics[p.Name.ToLowerInvariant()] = p.Value.GetDouble();
                }
                else if (p.Value.ValueKind == JsonValueKind.Null)
                {
                    metrics[p.Name.ToLowerInvariant()] = double.NaN;
                }
                else
                {
                    return $"garbled reply (metric '{p.Name}' is not a number)";
                }
            }

            return null;
        }
    }

    private static string Clip(string s) => s.Length <= 120 ? s : s[..120] + "...";

    private Process Start()
    {
        Stop();
        bool windows = OperatingSystem.IsWindows();
        var info = new ProcessStartInfo(windows ? "cmd.exe" : "/bin/sh")
        {
            WorkingDirectory = _workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(windows ? "/c" : "-c");
        info.ArgumentList.Add(_command);
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                while (_stderr.Count > StderrLines)
                {
                    _stderr.Dequeue();
                }
            }
        };
        lock (_stderr)
        {
            _stderr.Clear();
        }

        process.Start();
        process.BeginErrorReadLine();
        ProcessesStarted++;
        _process = process;
        return process;
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _process = null;
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? string.Empty : "; evaluator stderr: " + string.Join(" | ", _stderr);
        }
    }
}

using System.Globalization;
using System.Text;

namespace DnnOpt.Optimization;

/// <summary>
/// The run-history file: CSV, one header line and then one line per evaluation, in evaluation order, appended and
/// flushed as each evaluation completes, so a killed run loses no finished evaluation and can be resumed.
/// </summary>
/// <remarks>
/// <para>Columns (names from the problem; numbers in invariant culture, round-trip precision):</para>
/// <list type="bullet">
/// <item><c>index</c> (0-based), <c>batch</c> (0-based proposal), <c>status</c> (<c>ok</c> or <c>failed</c>),
/// <c>feasible</c> (1 or 0), <c>fom</c> (eq. 4; <c>Infinity</c> for a failure), <c>violation</c>;</item>
/// <item><c>f0.NAME</c>: the objective; then <c>c.NAME</c> for each constraint (fi &lt;= 0 met); empty for a failure;</item>
/// <item><c>m.NAME</c> for each of the problem's <see cref="IProblem.MetricNames"/> (empty when not reported);</item>
/// <item><c>u.VAR</c> for each variable: unit-cube coordinates; then <c>x.VAR</c>: physical values;</item>
/// <item><c>eval_s</c>, <c>model_s</c>, <c>elapsed_s</c>: see <see cref="ObservationTiming"/>;</item>
/// <item><c>reason</c>: the failure reason, always double-quoted (empty when the evaluation succeeded).</item>
/// </list>
/// <para>A last line without its line break (the process died while writing it) is ignored when reading, and cut off
/// when a run appends to the file.</para>
/// </remarks>
public static class RunHistory
{
    private const string Ok = "ok";
    private const string Failed = "failed";

    /// <summary>The header line (without line break) of a history for <paramref name="problem"/>.</summary>
    public static string Header(IProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var sb = new StringBuilder("index,batch,status,feasible,fom,violation");
        sb.Append(",f0.").Append(problem.Objective.Name);
        foreach (var c in problem.Constraints)
        {
            sb.Append(",c.").Append(c.Name);
        }

        foreach (string name in problem.MetricNames)
        {
            if (string.IsNullOrWhiteSpace(name) || name.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                throw new ArgumentException($"Metric name '{name}' of problem '{problem.Name}' must be non-empty and free of commas, quotes and line breaks.", nameof(problem));
            }

            sb.Append(",m.").Append(name);
        }

        foreach (var v in problem.Space)
        {
            sb.Append(",u.").Append(v.Name);
        }

        foreach (var v in problem.Space)
        {
            sb.Append(",x.").Append(v.Name);
        }

        sb.Append(",eval_s,model_s,elapsed_s,reason");
        return sb.ToString();
    }

    /// <summary>
    /// Formats one observation of a problem with <paramref name="constraintCount"/> constraints and
    /// <paramref name="metricCount"/> extra metrics as a history line (without line break).
    /// </summary>
    public static string FormatLine(Observation observation, int constraintCount, int metricCount = 0)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentOutOfRangeException.ThrowIfNegative(constraintCount);
        ArgumentOutOfRangeException.ThrowIfNegative(metricCount);
        var e = observation.Evaluation;
        var sb = new StringBuilder(256);
        sb.Append(observation.Index.ToString(CultureInfo.InvariantCulture)).Append(',')
          .Append(observation.Batch.ToString(CultureInfo.InvariantCulture)).Append(',')
          .Append(e.Succeeded ? Ok : Failed).Append(',')
          .Append(observation.IsFeasible ? '1' : '0').Append(',')
          .Append(Format(observation.Fom)).Append(',')
          .Append(Format(observation.Violation)).Append(',');
        if (e.Succeeded)
        {
            sb.Append(Format(e.Objective));
            foreach (double c in e.Constraints)
            {
                sb.Append(',').Append(Format(c));
            }
        }
        else
        {
            // Empty objective, and one empty field per constraint: the field count must match the header.
            sb.Append(',', constraintCount);
        }

        var metrics = e.Metrics;
        for (int i = 0; i < metricCount; i++)
        {
            sb.Append(',');
            if (metrics.Length == metricCount)
            {
                sb.Append(Format(metrics[i]));
            }
        }

        foreach (double u in observation.Unit)
        {
            sb.Append(',').Append(Format(u));
        }

        foreach (double x in observation.Physical)
        {
            sb.Append(',').Append(Format(x));
        }

        var t = observation.Timing;
        sb.Append(',').Append(Format(t.EvaluationSeconds))
          .Append(',').Append(Format(t.ModelingSeconds))
          .Append(',').Append(Format(t.ElapsedSeconds))
          .Append(",\"").Append((e.FailureReason ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        return sb.ToString();
    }

    /// <summary>
    /// Reads a history written for <paramref name="problem"/>. FoM and violation are taken from the file as written.
    /// </summary>
    /// <exception cref="InvalidDataException">The header does not match the problem, or a complete line is malformed.</exception>
    public static IReadOnlyList<Observation> Read(string path, IProblem problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(problem);
        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            text = reader.ReadToEnd();
        }

        return Parse(text, problem, path);
    }

    internal static IReadOnlyList<Observation> Parse(string text, IProblem problem, string source)
    {
        var result = new List<Observation>();
        int end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return result; // not even a complete header: nothing was recorded
        }

        var lines = text[..end].Split('\n');
        string header = Header(problem);
        if (!string.Equals(lines[0].TrimEnd('\r'), header, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{source}: history header does not match problem '{problem.Name}'.\n  file:     {lines[0]}\n  expected: {header}");
        }

        int m = problem.Constraints.Count, d = problem.Space.Dimension, q = problem.MetricNames.Count;
        int numeric = 6 + 1 + m + q + d + d + 3;
        for (int li = 1; li < lines.Length; li++)
        {
            string line = lines[li].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                result.Add(ParseLine(line, m, q, d, numeric));
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"{source}, line {li + 1}: {ex.Message}", ex);
            }

            if (result[^1].Index != result.Count - 1)
            {
                throw new InvalidDataException($"{source}, line {li + 1}: index {result[^1].Index}, expected {result.Count - 1}.");
            }
        }

        return result;
    }

    private static Observation ParseLine(string line, int m, int q, int d, int numeric)
    {
        // The reason is the last field and the only one that can hold commas; everything before it is plain.
        int quote = line.IndexOf('"', StringComparison.Ordinal);
        if (quote < 1 || line[quote - 1] != ',' || line.Length < quote + 2 || line[^1] != '"')
        {
            throw new FormatException("missing quoted reason field");
        }

        string reason = line[(quote + 1)..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        var fields = line[..(quote - 1)].Split(',');
        if (fields.Length != numeric)
        {
            throw new FormatException($"{fields.Length + 1} fields, expected {numeric + 1}");
        }

        int index = int.Parse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture);
        int batch = int.Parse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture);
        bool ok = fields[2] switch
        {
            Ok => true,
            Failed => false,
            _ => throw new FormatException($"status '{fields[2]}' is neither '{Ok}' nor '{Failed}'"),
        };
        double fom = ParseDouble(fields[4]);
        double violation = ParseDouble(fields[5]);
        int k = 6;
        double[] metrics = [];
        if (q > 0 && fields[k + 1 + m].Length > 0)
        {
            metrics = new double[q];
            for (int i = 0; i < q; i++)
            {
                metrics[i] = ParseDouble(fields[k + 1 + m + i]);
            }
        }

        Evaluation evaluation;
        if (ok)
        {
            double f0 = ParseDouble(fields[k]);
            var c = new double[m];
            for (int i = 0; i < m; i++)
            {
                c[i] = ParseDouble(fields[k + 1 + i]);
            }

            evaluation = Evaluation.Success(f0, c, metrics);
        }
        else
        {
            evaluation = Evaluation.Failure(reason, metrics);
        }

        k += 1 + m + q;
        var unit = new double[d];
        var physical = new double[d];
        for (int i = 0; i < d; i++)
        {
            unit[i] = ParseDouble(fields[k + i]);
            physical[i] = ParseDouble(fields[k + d + i]);
        }

        k += 2 * d;
        var timing = new ObservationTiming(ParseDouble(fields[k]), ParseDouble(fields[k + 1]), ParseDouble(fields[k + 2]));
        return new Observation(index, batch, unit, physical, evaluation, fom, violation, timing);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double ParseDouble(string field) => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture);
}

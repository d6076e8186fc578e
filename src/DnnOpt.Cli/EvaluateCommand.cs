using System.Globalization;
using System.Text;
using System.Text.Json;
using DnnOpt.Optimization;
using DnnOpt.Sizing;

namespace DnnOpt.Cli;

/// <summary>
/// <c>dnnopt evaluate PROBLEM</c>: serves the problem's evaluations over the JSON-lines protocol on stdin/stdout, so
/// any external optimiser can use our simulator and specs (and a problem file's <c>evaluator:</c> can point at another
/// <c>dnnopt evaluate</c>).
/// </summary>
internal static class EvaluateCommand
{
    public const string Help = """
        usage: dnnopt evaluate PROBLEM.yaml|BUILTIN-NAME

        Serves design evaluations of a problem over JSON lines: one request per line on stdin, one reply per line on
        stdout (flushed), until stdin closes. Values are physical (SI units), by variable name; every variable must be
        given, inside its range.

          request:  {"id": 7, "x": {"w1": 1.2e-6, "n1": 3}}
          reply:    {"id": 7, "metrics": {"power": 7.1e-4, "dc_gain": 63.2}, "objective": 7.1e-4,
                     "constraints": {"dc_gain_min": -3.2}, "feasible": true}
          failure:  {"id": 7, "error": "why", "metrics": {...measured before the failure...}}

        constraints follow paper eq. 1 (met when <= 0, in the metric's unit). A malformed request gets an error reply
        naming the line (its id echoed when it could be read) and the server goes on.

        examples:
          echo '{"id": 1, "x": {"w1": 20e-6, "l1": 1e-6, "w3": 10e-6, "l3": 1e-6, "w5": 10e-6, "l5": 1e-6, "n5": 2, "ibias": 10e-6}}' | dnnopt evaluate ota5-dc
          dnnopt evaluate my-ota.yaml < requests.jsonl > replies.jsonl

        exit codes: 0 stdin closed, 2 bad problem, 3 internal error
        """;

    public static int Run(List<string> args, TextReader input, TextWriter output)
    {
        if (args.Count != 1 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException("evaluate: expected exactly one PROBLEM (usage: dnnopt evaluate PROBLEM.yaml|BUILTIN-NAME)");
        }

        using CircuitProblem problem = ProblemArgument.Create(args[0]);
        int lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            output.WriteLine(Reply(problem, line, lineNumber));
            output.Flush();
        }

        return ExitCodes.Ok;
    }

    private static string Reply(CircuitProblem problem, string line, int lineNumber)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return Error(null, $"line {lineNumber}: not JSON: {e.Message}");
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            string? id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out JsonElement idElement) ? idElement.GetRawText() : null;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("x", out JsonElement x) || x.ValueKind != JsonValueKind.Object)
            {
                return Error(id, $"line {lineNumber}: expected {{\"id\": ..., \"x\": {{\"name\": value, ...}}}}");
            }

            DesignSpace space = problem.Space;
            var values = new double[space.Dimension];
            var given = new bool[space.Dimension];
            foreach (JsonProperty v in x.EnumerateObject())
            {
                int k = space.IndexOf(v.Name.ToLowerInvariant());
                if (k < 0)
                {
                    return Error(id, $"line {lineNumber}: unknown variable '{v.Name}' (variables: {string.Join(", ", space.Select(d => d.Name))})");
                }

                if (v.Value.ValueKind != JsonValueKind.Number || !double.IsFinite(v.Value.GetDouble()))
                {
                    return Error(id, $"line {lineNumber}: variable '{v.Name}' is not a finite number");
                }

                DesignVariable d = space[k];
                double value = v.Value.GetDouble();
                if (value < d.Lower || value > d.Upper)
                {
                    return Error(id, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber}: variable '{d.Name}' = {value:R} is outside its range [{d.Lower:R}, {d.Upper:R}]"));
                }

                values[k] = value;
                given[k] = true;
            }

            int missing = Array.IndexOf(given, false);
            if (missing >= 0)
            {
                return Error(id, $"line {lineNumber}: variable '{space[missing].Name}' is missing");
            }

            Measurement m = problem.Measure(values);
            return Result(id, problem, m);
        }
    }

    private static string Result(string? id, CircuitProblem problem, Measurement m)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteId(w, id);
            if (!m.Evaluation.Succeeded)
            {
                w.WriteString("error", m.Evaluation.FailureReason);
            }

            w.WriteStartObject("metrics");
            for (int i = 0; i < m.Names.Count; i++)
            {
                if (double.IsFinite(m.Values[i]))
                {
                    w.WriteNumber(m.Names[i], m.Values[i]);
                }
            }

            w.WriteEndObject();
            if (m.Evaluation.Succeeded)
            {
                w.WriteNumber("objective", m.Evaluation.Objective);
                w.WriteStartObject("constraints");
                for (int c = 0; c < problem.Constraints.Count; c++)
                {
                    w.WriteNumber(problem.Constraints[c].Name, m.Evaluation.Constraints[c]);
                }

                w.WriteEndObject();
                w.WriteBoolean("feasible", m.Evaluation.IsFeasible);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Error(string? id, string message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteId(w, id);
            w.WriteString("error", message);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteId(Utf8JsonWriter w, string? id)
    {
        w.WritePropertyName("id");
        if (id is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteRawValue(id);
        }
    }
}

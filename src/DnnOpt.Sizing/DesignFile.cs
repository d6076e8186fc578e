using System.Text.Json;

namespace DnnOpt.Sizing;

/// <summary>
/// A design written as JSON: an object of variable: value in SI units, or a <c>best.json</c> of <c>dnnopt size</c>
/// (the same object under <c>variables</c>). Used for nominal designs (<c>--nominal</c>) and the industrial benchmarks'
/// committed improved designs.
/// </summary>
public static class DesignFile
{
    /// <summary>Reads a design; variables it does not name keep <paramref name="defaults"/>.</summary>
    /// <param name="json">The file text.</param>
    /// <param name="fileName">Its name, for errors.</param>
    /// <param name="variableNames">The problem's variables, in order (matched case-insensitively).</param>
    /// <param name="defaults">Values of the variables the file does not name, in the same order.</param>
    /// <returns>The design in the order of <paramref name="variableNames"/>.</returns>
    /// <exception cref="FormatException">Not JSON, not such an object, an unknown variable or a non-number; the message names the file.</exception>
    public static double[] Parse(string json, string fileName, IReadOnlyList<string> variableNames, IReadOnlyList<double> defaults)
    {
        ArgumentNullException.ThrowIfNull(variableNames);
        ArgumentNullException.ThrowIfNull(defaults);
        double[] x = [.. defaults];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{fileName}: not JSON: {e.Message}", e);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            JsonElement values = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("variables", out JsonElement v) ? v : root;
            if (values.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{fileName}: expected an object of variable: value (or a best.json)");
            }

            foreach (JsonProperty p in values.EnumerateObject())
            {
                int k = -1;
                for (int j = 0; j < variableNames.Count && k < 0; j++)
                {
                    k = string.Equals(variableNames[j], p.Name, StringComparison.OrdinalIgnoreCase) ? j : -1;
                }

                if (k < 0)
                {
                    throw new FormatException($"{fileName}: unknown variable '{p.Name}'");
                }

                if (p.Value.ValueKind != JsonValueKind.Number)
                {
                    throw new FormatException($"{fileName}: variable '{p.Name}' is not a number");
                }

                x[k] = p.Value.GetDouble();
            }
        }

        return x;
    }
}

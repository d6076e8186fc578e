using System.Runtime.CompilerServices;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>A model card with every expression evaluated for one instance's scope.</summary>
internal sealed class ResolvedModel(string name, string type, Dictionary<string, double> parameters, SourceLocation location)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public Dictionary<string, double> Parameters { get; } = parameters;

    public SourceLocation Location { get; } = location;

    public bool Has(string p) => Parameters.ContainsKey(p);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Get(string p, double fallback) => Parameters.TryGetValue(p, out double v) ? v : fallback;
}

/// <summary>One flattened element with numeric values: what a device is built from.</summary>
internal sealed class ResolvedElement
{
    public required string Name { get; init; }

    public char Kind => LocalName[0];

    /// <summary>The name as written inside its subcircuit (its first letter is the type).</summary>
    public required string LocalName { get; init; }

    public required string[] Nodes { get; init; }

    public double? Value { get; init; }

    /// <summary>Instance values in written order (a few per element, searched linearly).</summary>
    public required NamedValues<double> Parameters { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Flattened controlling-source name (F, H).</summary>
    public string? Reference { get; init; }

    public ResolvedModel? Model { get; init; }

    public (double Magnitude, double Phase)? Ac { get; init; }

    public (string Kind, double[] Arguments)? Waveform { get; init; }

    public required SourceLocation Location { get; init; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Get(string p, double fallback) => Parameters.TryGetValue(p, out double v) ? v : fallback;

    public bool Has(string p) => Parameters.ContainsKey(p);

    /// <summary>Rejects instance parameters the device does not know (they would silently change nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CheckParameters(params string[] allowed)
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            string p = Parameters.KeyAt(i);
            if (Array.IndexOf(allowed, p) < 0)
            {
                throw new SpiceParseException(Location, $"{LocalName}: unknown or unsupported instance parameter '{p}' (allowed: {string.Join(' ', allowed)})");
            }
        }
    }
}

using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Netlists;

/// <summary>A <c>name = expression</c> pair from <c>.param</c>, a <c>.subckt</c> header or an <c>X</c> line.</summary>
/// <param name="Name">Lower-case parameter name.</param>
/// <param name="Value">The expression (kept unevaluated so parameters can change later).</param>
/// <param name="Location">Where it was written.</param>
public sealed record ParameterAssignment(string Name, Expression Value, SourceLocation Location);

/// <summary>
/// One device or subcircuit-instance line. Values stay expressions; the element's letter decides the meaning of the
/// fields (see <see cref="NetlistParser"/>).
/// </summary>
public sealed record ElementStatement
{
    /// <summary>Lower-case instance name including its type letter (<c>r1</c>, <c>m1</c>, <c>x1</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The type letter, lower case.</summary>
    public char Kind => Name[0];

    /// <summary>Node names in SPICE order (lower case; <c>0</c> and <c>gnd</c> are ground).</summary>
    public required IReadOnlyList<string> Nodes { get; init; }

    /// <summary>Model name (D, M), controlling source (F, H) or subcircuit name (X); otherwise null.</summary>
    public string? Reference { get; init; }

    /// <summary>The main value: resistance, capacitance, inductance, gain, or the DC value of a source.</summary>
    public Expression? Value { get; init; }

    /// <summary>Named instance parameters (<c>w=</c>, <c>m=</c>, <c>ic=</c>, subcircuit parameters...).</summary>
    public required IReadOnlyDictionary<string, Expression> Parameters { get; init; }

    /// <summary>Keyword flags such as <c>off</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>Independent sources: AC magnitude and phase (degrees), stored for the AC analysis.</summary>
    public (Expression Magnitude, Expression Phase)? Ac { get; init; }

    /// <summary>Independent sources: the time-domain waveform, stored for the transient analysis.</summary>
    public SourceWaveform? Waveform { get; init; }

    /// <summary>Where the line starts.</summary>
    public required SourceLocation Location { get; init; }
}

/// <summary>A time-domain source function (<c>PULSE SIN PWL EXP SFFM</c>) with its positional arguments.</summary>
/// <param name="Kind">Lower-case function name.</param>
/// <param name="Arguments">Arguments in written order.</param>
public sealed record SourceWaveform(string Kind, IReadOnlyList<Expression> Arguments);

/// <summary>A <c>.model</c> card: name, type (<c>d</c>, <c>nmos</c>, <c>pmos</c>...) and parameter expressions.</summary>
/// <param name="Name">Lower-case model name.</param>
/// <param name="Type">Lower-case model type.</param>
/// <param name="Parameters">Parameters in written order (a later duplicate wins, as in SPICE).</param>
/// <param name="Location">Where the card starts.</param>
public sealed record ModelStatement(string Name, string Type, IReadOnlyList<ParameterAssignment> Parameters, SourceLocation Location);

/// <summary>The contents of the top level or of one <c>.subckt</c> body.</summary>
public sealed class CircuitBody
{
    internal List<ElementStatement> ElementList { get; } = [];

    internal Dictionary<string, SourceLocation> ElementNames { get; } = new(StringComparer.Ordinal);

    internal List<ParameterAssignment> ParameterList { get; } = [];

    internal Dictionary<string, ModelStatement> ModelMap { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, SubcircuitDefinition> SubcircuitMap { get; } = new(StringComparer.Ordinal);

    /// <summary>Device and instance lines in written order.</summary>
    public IReadOnlyList<ElementStatement> Elements => ElementList;

    /// <summary><c>.param</c> assignments in written order.</summary>
    public IReadOnlyList<ParameterAssignment> Parameters => ParameterList;

    /// <summary>Models defined in this body, by lower-case name.</summary>
    public IReadOnlyDictionary<string, ModelStatement> Models => ModelMap;

    /// <summary>Subcircuits defined in this body, by lower-case name.</summary>
    public IReadOnlyDictionary<string, SubcircuitDefinition> Subcircuits => SubcircuitMap;
}

/// <summary>A <c>.subckt name ports [params:] p=v ...</c> definition.</summary>
/// <param name="Name">Lower-case name.</param>
/// <param name="Ports">Port node names.</param>
/// <param name="DefaultParameters">Default parameter values, overridden by instance values.</param>
/// <param name="Body">Elements, models, parameters and nested definitions.</param>
/// <param name="Location">Where <c>.subckt</c> is written.</param>
public sealed record SubcircuitDefinition(
    string Name,
    IReadOnlyList<string> Ports,
    IReadOnlyList<ParameterAssignment> DefaultParameters,
    CircuitBody Body,
    SourceLocation Location);

/// <summary>A node value from <c>.ic</c> or <c>.nodeset</c>.</summary>
/// <param name="Node">Lower-case node name.</param>
/// <param name="Value">Voltage expression.</param>
/// <param name="Location">Where it is written.</param>
public sealed record NodeValueStatement(string Node, Expression Value, SourceLocation Location);

/// <summary>An analysis request from the deck.</summary>
public abstract record AnalysisStatement(SourceLocation Location);

/// <summary><c>.op</c>.</summary>
/// <param name="Location">Where it is written.</param>
public sealed record OpStatement(SourceLocation Location) : AnalysisStatement(Location);

/// <summary>One sweep of a <c>.dc</c> line.</summary>
/// <param name="Target">Source or resistor name, <c>temp</c>, or a parameter name (lower case).</param>
/// <param name="Start">First value.</param>
/// <param name="Stop">Last value.</param>
/// <param name="Step">Increment (sign taken from start/stop as ngspice does).</param>
public sealed record DcSweepStatement(string Target, Expression Start, Expression Stop, Expression Step);

/// <summary><c>.dc</c> with one or two sweeps; the first sweep varies fastest, as in ngspice.</summary>
/// <param name="Sweeps">Inner sweep first.</param>
/// <param name="Location">Where it is written.</param>
public sealed record DcStatement(IReadOnlyList<DcSweepStatement> Sweeps, SourceLocation Location) : AnalysisStatement(Location);

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

    /// <summary>Named instance parameters (<c>w=</c>, <c>m=</c>, <c>ic=</c>, subcircuit parameters...), in written order.</summary>
    public required IReadOnlyDictionary<string, Expression> Parameters
    {
        get => NamedParameters;
        init => NamedParameters = value as NamedValues<Expression> ?? NamedValues<Expression>.Copy(value);
    }

    /// <summary>The same pairs in the compact form the parser makes (enumerated without allocation).</summary>
    internal NamedValues<Expression> NamedParameters { get; private init; } = NamedValues<Expression>.Empty;

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

/// <summary>How a frequency sweep spaces its points (ngspice <c>dec</c>, <c>oct</c>, <c>lin</c>).</summary>
public enum FrequencySweepKind
{
    /// <summary><c>dec</c>: the count is points per decade.</summary>
    Decade,

    /// <summary><c>oct</c>: the count is points per octave.</summary>
    Octave,

    /// <summary><c>lin</c>: the count is the total number of points.</summary>
    Linear,
}

/// <summary>A frequency sweep as written on <c>.ac</c> and <c>.noise</c> lines.</summary>
/// <param name="Kind">Point spacing.</param>
/// <param name="Points">Points per decade/octave, or in total for <c>lin</c>.</param>
/// <param name="Start">First frequency in hertz.</param>
/// <param name="Stop">Last frequency in hertz.</param>
public sealed record FrequencySweepStatement(FrequencySweepKind Kind, Expression Points, Expression Start, Expression Stop);

/// <summary><c>.ac dec|oct|lin n fstart fstop</c>.</summary>
/// <param name="Sweep">The frequency sweep.</param>
/// <param name="Location">Where it is written.</param>
public sealed record AcStatement(FrequencySweepStatement Sweep, SourceLocation Location) : AnalysisStatement(Location);

/// <summary><c>.tran tstep tstop [tstart [tmax]] [uic]</c>.</summary>
/// <param name="Step">Printing increment (also the initial step guide) in seconds.</param>
/// <param name="Stop">Final time in seconds.</param>
/// <param name="Start">Time from which results are kept (null = 0).</param>
/// <param name="MaxStep">Largest internal step (null = ngspice's default).</param>
/// <param name="UseInitialConditions"><c>uic</c>: skip the operating point and start from <c>.ic</c>/<c>ic=</c> values.</param>
/// <param name="Location">Where it is written.</param>
public sealed record TranStatement(Expression Step, Expression Stop, Expression? Start, Expression? MaxStep, bool UseInitialConditions, SourceLocation Location)
    : AnalysisStatement(Location);

/// <summary><c>.noise v(out[,ref]) src dec|oct|lin n fstart fstop [pts_per_summary]</c>.</summary>
/// <param name="OutputNode">Output node (lower case).</param>
/// <param name="ReferenceNode">Reference node, or null for ground.</param>
/// <param name="InputSource">Independent source the input-referred noise refers to (lower case).</param>
/// <param name="Sweep">The frequency sweep.</param>
/// <param name="PointsPerSummary">ngspice's optional per-device summary interval (stored; null when absent).</param>
/// <param name="Location">Where it is written.</param>
public sealed record NoiseStatement(string OutputNode, string? ReferenceNode, string InputSource, FrequencySweepStatement Sweep, Expression? PointsPerSummary, SourceLocation Location)
    : AnalysisStatement(Location);

/// <summary>
/// A <c>.measure</c>/<c>.meas</c> line, kept as text after the analysis name and result name; the measurement layer
/// parses the rest (ngspice syntax: <c>find ... at=</c>, <c>when</c>, <c>trig/targ</c>, <c>min max avg rms pp integ
/// deriv</c>, <c>param=</c>).
/// </summary>
/// <param name="Analysis">Analysis it applies to (<c>ac</c>, <c>dc</c>, <c>tran</c>, <c>noise</c>, <c>sp</c>), lower case.</param>
/// <param name="Name">Result name (lower case).</param>
/// <param name="Text">The rest of the line, as written.</param>
/// <param name="Location">Where it is written.</param>
public sealed record MeasureStatement(string Analysis, string Name, string Text, SourceLocation Location);

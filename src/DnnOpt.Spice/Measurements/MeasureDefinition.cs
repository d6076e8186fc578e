using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Measurements;

/// <summary>What a <c>.measure</c> computes (ngspice 39 manual, ".meas"; ngspice's <c>com_measure2.c</c> semantics).</summary>
public enum MeasureFunction
{
    /// <summary><c>find VEC at=X</c>: the vector linearly interpolated at scale value X.</summary>
    FindAt,

    /// <summary><c>find VEC when VEC2=VAL|VEC3 ...</c>: the vector at the scale value where the condition is met.</summary>
    FindWhen,

    /// <summary><c>when VEC=VAL|VEC2 ...</c>: the scale value (time, frequency, sweep value) of a crossing.</summary>
    When,

    /// <summary><c>trig ... targ ...</c>: target crossing minus trigger crossing (or trigger <c>at=</c>).</summary>
    TrigTarg,

    /// <summary><c>min VEC [from= to=]</c>: smallest sample.</summary>
    Min,

    /// <summary><c>max VEC [from= to=]</c>: largest sample.</summary>
    Max,

    /// <summary><c>min_at VEC</c>: scale value of the (last) smallest sample.</summary>
    MinAt,

    /// <summary><c>max_at VEC</c>: scale value of the (last) largest sample.</summary>
    MaxAt,

    /// <summary><c>avg VEC</c>: trapezoidal integral of the samples divided by the covered scale span.</summary>
    Average,

    /// <summary><c>pp VEC</c>: largest minus smallest sample.</summary>
    PeakToPeak,

    /// <summary><c>rms VEC</c>: sqrt(∫VEC² / span), window ends interpolated, Simpson/trapezoid as ngspice.</summary>
    Rms,

    /// <summary><c>integ|integral VEC</c>: ∫VEC over the window, window ends interpolated, Simpson/trapezoid as ngspice.</summary>
    Integral,

    /// <summary><c>deriv VEC at=X</c>: slope of the sampled vector's linear interpolation at X.</summary>
    DerivativeAt,

    /// <summary><c>deriv VEC when ...</c>: slope at the scale value where the condition is met.</summary>
    DerivativeWhen,

    /// <summary><c>param='expr'</c>: an expression over other measures and <c>.param</c>s.</summary>
    Param,
}

/// <summary>
/// Which crossing a <c>when</c>/<c>trig</c>/<c>targ</c> clause selects, as ngspice stores it: at most one of
/// <see cref="Rise"/>, <see cref="Fall"/>, <see cref="Cross"/> is set (a count ≥ 1, or <see cref="Last"/>);
/// <see cref="None"/> everywhere means "the first crossing of either direction".
/// </summary>
/// <param name="Rise">Rising crossing number, <see cref="None"/> or <see cref="Last"/>.</param>
/// <param name="Fall">Falling crossing number, <see cref="None"/> or <see cref="Last"/>.</param>
/// <param name="Cross">Crossing number in either direction, <see cref="None"/> or <see cref="Last"/>.</param>
public readonly record struct CrossingCount(int Rise, int Fall, int Cross)
{
    /// <summary>Not requested.</summary>
    public const int None = -1;

    /// <summary>The last crossing of that kind (<c>rise=last</c>, <c>cross=last</c>, or a bare <c>last</c>).</summary>
    public const int Last = -2;

    /// <summary>No count given: the first crossing.</summary>
    public static CrossingCount First { get; } = new(None, None, None);

    /// <summary>True when any of rise, fall or cross is given.</summary>
    public bool IsGiven => Rise != None || Fall != None || Cross != None;
}

/// <summary>
/// A crossing condition <c>VEC=VAL</c> or <c>VEC=VEC2</c> with its count and delay: the <c>when</c> clause, the
/// <c>trig</c> and the <c>targ</c> clause.
/// </summary>
public sealed class Crossing
{
    internal Crossing(VectorExpression vector, Expression? value, VectorExpression? other, CrossingCount count, Expression? delay)
    {
        Vector = vector;
        Value = value;
        Other = other;
        Count = count;
        Delay = delay;
    }

    /// <summary>The vector that crosses.</summary>
    public VectorExpression Vector { get; }

    /// <summary>The level crossed (<c>val=</c> or the right-hand side), or null when <see cref="Other"/> is used.
    /// A bare name here that is not a parameter is read as a vector at evaluation time.</summary>
    public Expression? Value { get; }

    /// <summary>The second vector of <c>VEC=VEC2</c>, or null.</summary>
    public VectorExpression? Other { get; }

    /// <summary>Which crossing.</summary>
    public CrossingCount Count { get; }

    /// <summary><c>td=</c>: in a transient, samples before this time are ignored (ngspice ignores it for ac and dc).</summary>
    public Expression? Delay { get; }

    /// <summary>For <c>when VEC=NAME</c>: the bare name, tried as a vector when it is not a parameter.</summary>
    internal string? BareName { get; init; }
}

/// <summary>
/// One parsed <c>.measure</c> statement. Numbers may be expressions (<c>at='tper/2'</c>, <c>val={vdd/2}</c>, a bare
/// parameter name), evaluated with the circuit's current parameters each time the measure is evaluated, so one parse
/// serves every design of a sizing run.
/// </summary>
public sealed partial class MeasureDefinition
{
    private MeasureDefinition(string analysis, string name, string text, SourceLocation location, MeasureFunction function)
    {
        Analysis = analysis;
        Name = name;
        Text = text;
        Location = location;
        Function = function;
    }

    /// <summary>Analysis the measure reads (<c>dc</c>, <c>ac</c>, <c>tran</c>, <c>noise</c>, <c>sp</c>), lower case.</summary>
    public string Analysis { get; }

    /// <summary>Result name, lower case.</summary>
    public string Name { get; }

    /// <summary>The statement text after the result name, as written.</summary>
    public string Text { get; }

    /// <summary>Where the statement is written.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is computed.</summary>
    public MeasureFunction Function { get; }

    /// <summary>The measured vector (find, statistics, integrals, deriv), or null.</summary>
    public VectorExpression? Vector { get; private init; }

    /// <summary><c>at=</c> of find/deriv, or the trigger time of <c>trig at=</c>; null otherwise.</summary>
    public Expression? At { get; private init; }

    /// <summary>The <c>when</c> clause, or the <c>trig</c> clause of trig/targ (null for <c>trig at=</c>).</summary>
    public Crossing? When { get; private init; }

    /// <summary>The <c>targ</c> clause of trig/targ.</summary>
    public Crossing? Target { get; private init; }

    /// <summary><c>from=</c> of statistics and integrals, or null (the start of the data).</summary>
    public Expression? From { get; private init; }

    /// <summary><c>to=</c> of statistics and integrals, or null (the end of the data).</summary>
    public Expression? To { get; private init; }

    /// <summary>The expression of <c>param=</c>.</summary>
    public Expression? ParamExpression { get; private init; }

    /// <summary>Parses a statement from <see cref="Netlist.Measures"/>.</summary>
    /// <param name="statement">The statement.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="SpiceParseException">Bad syntax, naming file and line.</exception>
    public static MeasureDefinition Parse(MeasureStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return Parse(statement.Analysis, statement.Name, statement.Text, statement.Location);
    }

    /// <inheritdoc/>
    public override string ToString() => $".measure {Analysis} {Name} {Text}";
}

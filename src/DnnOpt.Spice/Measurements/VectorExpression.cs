using System.Numerics;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Measurements;

/// <summary>Which real number a <c>.measure</c> reads from a (possibly complex) vector value.</summary>
public enum ComplexPart
{
    /// <summary>The real part: what ngspice reads from <c>v(out)</c> (also in an AC analysis) and <c>vr(out)</c>.</summary>
    Real,

    /// <summary>The imaginary part: <c>vi(out)</c>, <c>imag(...)</c>, <c>im(...)</c>.</summary>
    Imaginary,

    /// <summary>The magnitude |z|: <c>vm(out)</c>, <c>mag(...)</c>, <c>abs(...)</c>.</summary>
    Magnitude,

    /// <summary>The phase atan2(im, re) in (-π, π] (radians unless <see cref="MeasureOptions.PhaseInDegrees"/>):
    /// <c>vp(out)</c>, <c>ph(...)</c>, <c>phase(...)</c>.</summary>
    Phase,

    /// <summary>20·log10|z|: <c>vdb(out)</c>, <c>db(...)</c>.</summary>
    Decibel,
}

/// <summary>
/// The vector a <c>.measure</c> reads: a node voltage <c>v(a)</c>, a differential voltage <c>v(a,b)</c>, a branch
/// current <c>i(vsrc)</c>, or a plain vector name (<c>onoise_spectrum</c>, <c>@m1[gm]</c>, the scale), with the part
/// of a complex value to take: ngspice's <c>vm vp vr vi vdb</c> prefixes (ngspice 39 manual, chapter ".meas") or the
/// vector functions <c>db mag abs ph phase real re imag im</c> around any of them.
/// </summary>
public sealed class VectorExpression
{
    private static readonly Dictionary<string, ComplexPart> Functions = new(StringComparer.Ordinal)
    {
        ["db"] = ComplexPart.Decibel,
        ["mag"] = ComplexPart.Magnitude,
        ["abs"] = ComplexPart.Magnitude,
        ["ph"] = ComplexPart.Phase,
        ["phase"] = ComplexPart.Phase,
        ["real"] = ComplexPart.Real,
        ["re"] = ComplexPart.Real,
        ["imag"] = ComplexPart.Imaginary,
        ["im"] = ComplexPart.Imaginary,
    };

    private static readonly Dictionary<string, ComplexPart> VoltagePrefixes = new(StringComparer.Ordinal)
    {
        ["v"] = ComplexPart.Real,
        ["vr"] = ComplexPart.Real,
        ["vi"] = ComplexPart.Imaginary,
        ["vm"] = ComplexPart.Magnitude,
        ["vp"] = ComplexPart.Phase,
        ["vdb"] = ComplexPart.Decibel,
    };

    private VectorExpression(string text, string? positive, string? negative, ComplexPart part, bool explicitPart)
    {
        Text = text;
        Positive = positive;
        Negative = negative;
        Part = part;
        ExplicitPart = explicitPart;
    }

    /// <summary>The expression as written (lower case, blanks removed).</summary>
    public string Text { get; }

    /// <summary>The vector read (<c>v(a)</c>, <c>i(v1)</c>, a plain name), or null for ground.</summary>
    public string? Positive { get; }

    /// <summary>The vector subtracted (<c>v(b)</c> of <c>v(a,b)</c>), or null.</summary>
    public string? Negative { get; }

    /// <summary>The part of the complex value taken.</summary>
    public ComplexPart Part { get; }

    private bool ExplicitPart { get; }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Parses a vector expression.</summary>
    /// <param name="text">The text, e.g. <c>vdb(out)</c>, <c>v(a,b)</c>, <c>db(i(v1))</c>.</param>
    /// <param name="location">Where it is written, for errors.</param>
    /// <returns>The expression.</returns>
    /// <exception cref="SpiceParseException">Not a vector expression this layer knows.</exception>
    public static VectorExpression Parse(string text, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        if (!TryParse(t, out VectorExpression? e, out string? why))
        {
            throw new SpiceParseException(location, $".measure: '{text}' is not a vector ({why})");
        }

        return e;
    }

    /// <summary>Whether <paramref name="text"/> (lower case, no blanks) is written as a vector rather than a number or a
    /// parameter name: it uses <c>v(...)</c>, <c>i(...)</c>, a vector function or <c>@dev[q]</c>.</summary>
    internal static bool LooksLikeVector(string text)
    {
        int open = text.IndexOf('(', StringComparison.Ordinal);
        if (text.StartsWith('@'))
        {
            return true;
        }

        if (open <= 0 || !text.EndsWith(')'))
        {
            return false;
        }

        string head = text[..open];
        return head == "i" || VoltagePrefixes.ContainsKey(head) || Functions.ContainsKey(head);
    }

    /// <summary>A bare name (no parentheses): a plain vector such as <c>onoise_spectrum</c>.</summary>
    internal static VectorExpression Plain(string name) => new(name, name, null, ComplexPart.Real, explicitPart: false);

    private static bool TryParse(string t, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out VectorExpression? e, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? why)
    {
        e = null;
        why = null;
        if (t.Length == 0)
        {
            why = "empty";
            return false;
        }

        int open = t.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || t.StartsWith('@'))
        {
            if (t.Any(c => c is '(' or ')' or ',' or '=' or '\'' or '{' or '}'))
            {
                why = "unexpected punctuation";
                return false;
            }

            e = Plain(t);
            return true;
        }

        if (open == 0 || !t.EndsWith(')'))
        {
            why = "unbalanced parentheses";
            return false;
        }

        string head = t[..open];
        string inner = t[(open + 1)..^1];
        if (Functions.TryGetValue(head, out ComplexPart fpart))
        {
            if (!TryParse(inner, out VectorExpression? arg, out why))
            {
                return false;
            }

            if (arg.ExplicitPart)
            {
                why = $"'{head}' of '{arg.Text}', which already selects a part of the value";
                return false;
            }

            e = new VectorExpression(t, arg.Positive, arg.Negative, fpart, explicitPart: true);
            return true;
        }

        if (inner.Length == 0 || inner.Contains('(', StringComparison.Ordinal) || inner.Contains(')', StringComparison.Ordinal))
        {
            why = "expected a node or device name inside the parentheses";
            return false;
        }

        string[] names = inner.Split(',');
        if (names.Any(n => n.Length == 0))
        {
            why = "empty node name";
            return false;
        }

        if (head == "i")
        {
            if (names.Length != 1)
            {
                why = "i() takes one device name";
                return false;
            }

            e = new VectorExpression(t, "i(" + names[0] + ")", null, ComplexPart.Real, explicitPart: false);
            return true;
        }

        if (!VoltagePrefixes.TryGetValue(head, out ComplexPart vpart))
        {
            why = $"unknown function '{head}' (expected v, vm, vp, vr, vi, vdb, i, db, mag, ph, real, imag)";
            return false;
        }

        if (names.Length > 2)
        {
            why = "a voltage takes one or two nodes";
            return false;
        }

        string? p = UnknownTable.IsGround(names[0]) ? null : "v(" + names[0] + ")";
        string? n = names.Length == 2 && !UnknownTable.IsGround(names[1]) ? "v(" + names[1] + ")" : null;
        e = new VectorExpression(t, p, n, vpart, explicitPart: head != "v");
        return true;
    }

    /// <summary>Looks the vector(s) up in a set.</summary>
    /// <param name="set">The analysis vectors.</param>
    /// <param name="degrees">Phase in degrees instead of radians.</param>
    /// <param name="resolved">The readable vector.</param>
    /// <returns>The name of a missing vector, or null when found.</returns>
    internal string? TryResolve(IVectorSet set, bool degrees, out ResolvedVector resolved)
    {
        resolved = default;
        IReadOnlyList<Complex>? p = null;
        IReadOnlyList<Complex>? n = null;
        if (Positive is not null && !TryGet(set, Positive, out p))
        {
            return Positive;
        }

        if (Negative is not null && !TryGet(set, Negative, out n))
        {
            return Negative;
        }

        resolved = new ResolvedVector(p, n, set.Scale, Part, degrees);
        return null;
    }

    private static bool TryGet(IVectorSet set, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<Complex>? values)
    {
        if (set.TryGetVector(name, out values))
        {
            return true;
        }

        // The scale is a vector too (find time when ..., max frequency ...), as in an ngspice plot.
        if (name.Equals(set.ScaleName, StringComparison.OrdinalIgnoreCase))
        {
            values = new ScaleView(set.Scale);
            return true;
        }

        return false;
    }

    private sealed class ScaleView(IReadOnlyList<double> scale) : IReadOnlyList<Complex>
    {
        public Complex this[int index] => scale[index];

        public int Count => scale.Count;

        public IEnumerator<Complex> GetEnumerator() => scale.Select(s => new Complex(s, 0)).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>A vector expression bound to one analysis: reads the real value at a point without allocating.</summary>
internal readonly struct ResolvedVector
{
    private readonly IReadOnlyList<Complex>? _positive;
    private readonly IReadOnlyList<Complex>? _negative;
    private readonly ComplexPart _part;
    private readonly bool _degrees;

    public ResolvedVector(IReadOnlyList<Complex>? positive, IReadOnlyList<Complex>? negative, IReadOnlyList<double> scale, ComplexPart part, bool degrees)
    {
        _positive = positive;
        _negative = negative;
        Scale = scale;
        _part = part;
        _degrees = degrees;
    }

    public IReadOnlyList<double> Scale { get; }

    /// <summary>Points that both the vector and the scale have.</summary>
    public int Count => Math.Min(Scale.Count, Math.Min(_positive?.Count ?? int.MaxValue, _negative?.Count ?? int.MaxValue));

    public double this[int i]
    {
        get
        {
            Complex z = (_positive is null ? Complex.Zero : _positive[i]) - (_negative is null ? Complex.Zero : _negative[i]);
            return _part switch
            {
                ComplexPart.Imaginary => z.Imaginary,
                ComplexPart.Magnitude => Complex.Abs(z),
                ComplexPart.Phase => _degrees ? Math.Atan2(z.Imaginary, z.Real) * (180.0 / Math.PI) : Math.Atan2(z.Imaginary, z.Real),
                ComplexPart.Decibel => 20.0 * Math.Log10(Complex.Abs(z)),
                _ => z.Real,
            };
        }
    }
}

namespace DnnOpt.Optimization;

/// <summary>Whether a design variable takes any real value in its range or only integers.</summary>
public enum VariableKind
{
    /// <summary>Any real value between the bounds.</summary>
    Continuous,

    /// <summary>Integers between the bounds (inclusive), e.g. a number of fingers or parallel devices.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The design-variable vocabulary of DESIGN.md: 'integer: true'.")]
    Integer,
}

/// <summary>How the unit interval is spread over a variable's range.</summary>
public enum VariableScale
{
    /// <summary>Equal steps in the unit cube are equal steps in the physical value.</summary>
    Linear,

    /// <summary>
    /// Equal steps in the unit cube are equal ratios of the physical value (capacitances from 100 fF to 10 pF); the
    /// lower bound must be positive.
    /// </summary>
    Log,
}

/// <summary>
/// One named design variable with its bounds. The optimisers see it as a coordinate in [0, 1]; <see cref="DesignSpace"/>
/// maps that coordinate to the physical value the problem receives.
/// </summary>
/// <param name="Name">Identifier, unique within a design space; used as a column name in run histories.</param>
/// <param name="Lower">Smallest physical value (inclusive), in the variable's own unit.</param>
/// <param name="Upper">Largest physical value (inclusive); must be greater than <paramref name="Lower"/>.</param>
/// <param name="Kind">Continuous (default) or integer; integer bounds must be whole numbers.</param>
/// <param name="Scale">Linear (default) or logarithmic spreading of the unit interval.</param>
public sealed record DesignVariable(
    string Name,
    double Lower,
    double Upper,
    VariableKind Kind = VariableKind.Continuous,
    VariableScale Scale = VariableScale.Linear)
{
    /// <summary>Checks the bounds and flags; throws <see cref="ArgumentException"/> naming the variable and the rule broken.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A design variable needs a non-empty name.", nameof(Name));
        }

        if (Name.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            throw new ArgumentException($"Design variable name '{Name}' may not contain commas, quotes or line breaks.", nameof(Name));
        }

        if (!double.IsFinite(Lower) || !double.IsFinite(Upper))
        {
            throw new ArgumentException($"Design variable '{Name}': bounds must be finite (got [{Lower}, {Upper}]).", nameof(Lower));
        }

        if (!(Lower < Upper))
        {
            throw new ArgumentException($"Design variable '{Name}': lower bound {Lower} must be below upper bound {Upper}.", nameof(Lower));
        }

        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Design variable '{Name}': unknown kind {Kind}.", nameof(Kind));
        }

        if (!Enum.IsDefined(Scale))
        {
            throw new ArgumentException($"Design variable '{Name}': unknown scale {Scale}.", nameof(Scale));
        }

        if (Kind == VariableKind.Integer && (Lower != Math.Floor(Lower) || Upper != Math.Floor(Upper)))
        {
            throw new ArgumentException($"Integer design variable '{Name}': bounds must be whole numbers (got [{Lower}, {Upper}]).", nameof(Lower));
        }

        if (Scale == VariableScale.Log && Lower <= 0)
        {
            throw new ArgumentException($"Log-scaled design variable '{Name}': lower bound must be positive (got {Lower}).", nameof(Lower));
        }

        if (Scale == VariableScale.Log && Kind == VariableKind.Integer && Lower < 1)
        {
            throw new ArgumentException($"Log-scaled integer design variable '{Name}': lower bound must be at least 1 (got {Lower}).", nameof(Lower));
        }
    }

    // Integers own equal-width bins: the unit interval is spread over [lower - 0.5, upper + 0.5] and rounded, so each
    // integer is equally likely under uniform sampling (plain rounding of [lower, upper] halves the end bins).
    private double SpreadLower => Kind == VariableKind.Integer ? Lower - 0.5 : Lower;

    private double SpreadUpper => Kind == VariableKind.Integer ? Upper + 0.5 : Upper;

    /// <summary>Physical value of unit coordinate <paramref name="u"/> (clamped to [0, 1]).</summary>
    internal double FromUnit(double u)
    {
        u = Math.Clamp(u, 0.0, 1.0);
        if (Kind == VariableKind.Continuous && (u == 0.0 || u == 1.0))
        {
            // The faces of the cube are the designer's bounds exactly; exp(log(.)) would land an ulp inside.
            return u == 0.0 ? Lower : Upper;
        }

        double lo = SpreadLower, hi = SpreadUpper;
        double c = Scale == VariableScale.Log
            ? Math.Exp(Math.Log(lo) + (u * (Math.Log(hi) - Math.Log(lo))))
            : lo + (u * (hi - lo));
        if (Kind == VariableKind.Integer)
        {
            c = Math.Floor(c + 0.5);
        }

        // exp/log round-off can step a hair outside the range; the problem must never see an out-of-range value.
        return Math.Clamp(c, Lower, Upper);
    }

    /// <summary>Unit coordinate of physical value <paramref name="x"/> (clamped to the bounds; integers rounded first).</summary>
    internal double ToUnit(double x)
    {
        x = Math.Clamp(x, Lower, Upper);
        if (Kind == VariableKind.Integer)
        {
            x = Math.Floor(x + 0.5);
        }

        double lo = SpreadLower, hi = SpreadUpper;
        double u = Scale == VariableScale.Log
            ? (Math.Log(x) - Math.Log(lo)) / (Math.Log(hi) - Math.Log(lo))
            : (x - lo) / (hi - lo);
        return Math.Clamp(u, 0.0, 1.0);
    }
}

using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Measurements;

/// <summary>Evaluation of one measure over one analysis's vectors.</summary>
public sealed partial class MeasureDefinition
{
    /// <summary>
    /// Evaluates the measure. Anything that prevents a value (a missing vector, no crossing, a point outside the data,
    /// an empty window, an unknown parameter) is a failed result with the reason, never an exception.
    /// </summary>
    /// <param name="vectors">The analysis vectors (ignored by <see cref="MeasureFunction.Param"/>).</param>
    /// <param name="parameters">Parameters for expressions: the circuit's <c>.param</c>s and, for <c>param=</c>, the
    /// results of measures evaluated before.</param>
    /// <param name="options">Phase units; null for <see cref="MeasureOptions.Default"/>.</param>
    /// <returns>The result.</returns>
    public MeasureResult Evaluate(IVectorSet vectors, IParameterScope parameters, MeasureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(parameters);
        bool degrees = (options ?? MeasureOptions.Default).PhaseInDegrees;
        try
        {
            string? failure = null;
            double value = Function == MeasureFunction.Param
                ? Evaluate(ParamExpression!, parameters)
                : Measure(vectors, parameters, degrees, out failure);
            if (failure is not null)
            {
                return MeasureResult.Fail(this, failure);
            }

            return double.IsFinite(value) ? MeasureResult.Ok(this, value) : MeasureResult.Fail(this, $"the result is {Format(value)}");
        }
        catch (ExpressionException e)
        {
            return MeasureResult.Fail(this, e.Message);
        }
        catch (SpiceParseException e)
        {
            return MeasureResult.Fail(this, e.Message);
        }
    }

    private double Measure(IVectorSet set, IParameterScope parameters, bool degrees, out string? failure)
    {
        ScaleKind kind = set.AnalysisKind switch
        {
            "tran" => ScaleKind.Time,
            "dc" => ScaleKind.Sweep,
            _ => ScaleKind.Frequency,
        };
        failure = null;
        ResolvedVector v = default;
        if (Vector is not null && (failure = Missing(Vector.TryResolve(set, degrees, out v))) is not null)
        {
            return double.NaN;
        }

        switch (Function)
        {
            case MeasureFunction.FindAt:
            case MeasureFunction.DerivativeAt:
                {
                    double at = Evaluate(At!, parameters);
                    double r = Function == MeasureFunction.FindAt ? MeasureAlgorithms.At(v, at, kind) : MeasureAlgorithms.SlopeAt(v, at, kind);
                    failure = double.IsNaN(r) ? $"out of interval: at={Format(at)} is outside the data ({Range(set)})" : null;
                    return r;
                }

            case MeasureFunction.FindWhen:
            case MeasureFunction.DerivativeWhen:
                {
                    double at = Cross(When!, set, parameters, degrees, kind, "when", out failure);
                    if (failure is not null)
                    {
                        return double.NaN;
                    }

                    double r = Function == MeasureFunction.FindWhen ? MeasureAlgorithms.At(v, at, kind) : MeasureAlgorithms.SlopeAt(v, at, kind);
                    failure = double.IsNaN(r) ? $"out of interval: the when condition is met at {Format(at)}, where {Vector} cannot be interpolated" : null;
                    return r;
                }

            case MeasureFunction.When:
                return Cross(When!, set, parameters, degrees, kind, "when", out failure);
            case MeasureFunction.TrigTarg:
                {
                    double trig = At is not null ? Evaluate(At, parameters) : Cross(When!, set, parameters, degrees, kind, "trig", out failure);
                    if (failure is not null)
                    {
                        return double.NaN;
                    }

                    double targ = Cross(Target!, set, parameters, degrees, kind, "targ", out failure);
                    return targ - trig;
                }

            case MeasureFunction.Rms:
            case MeasureFunction.Integral:
                {
                    (double from, double to) = MeasureAlgorithms.Window(Optional(From, parameters), Optional(To, parameters), kind);
                    (double r, int count) = MeasureAlgorithms.Integral(v, Function == MeasureFunction.Rms, from, to);
                    failure = count == 0 ? EmptyWindow(set) : double.IsNaN(r) ? "out of interval" : null;
                    return r;
                }

            default:
                {
                    (double from, double to) = MeasureAlgorithms.Window(Optional(From, parameters), Optional(To, parameters), kind);
                    if (Function == MeasureFunction.PeakToPeak)
                    {
                        (double lo, _, int count) = MeasureAlgorithms.Statistic(v, MeasureFunction.Min, from, to, kind);
                        (double hi, _, _) = MeasureAlgorithms.Statistic(v, MeasureFunction.Max, from, to, kind);
                        failure = count == 0 ? EmptyWindow(set) : null;
                        return hi - lo;
                    }

                    (double value, double at, int n) = MeasureAlgorithms.Statistic(v, Function, from, to, kind);
                    failure = n == 0 ? EmptyWindow(set) : (Function == MeasureFunction.Average && n == 1) ? "out of interval: avg over a single sample" : null;
                    return Function is MeasureFunction.MinAt or MeasureFunction.MaxAt ? at : value;
                }
        }
    }

    private static double Cross(Crossing c, IVectorSet set, IParameterScope parameters, bool degrees, ScaleKind kind, string clause, out string? failure)
    {
        if ((failure = Missing(c.Vector.TryResolve(set, degrees, out ResolvedVector d))) is not null)
        {
            return double.NaN;
        }

        ResolvedVector other = default;
        bool hasOther = false;
        double level = 0;
        if (c.Other is not null)
        {
            if ((failure = Missing(c.Other.TryResolve(set, degrees, out other))) is not null)
            {
                return double.NaN;
            }

            hasOther = true;
        }
        else if (c.BareName is not null && !parameters.TryGetValue(c.BareName, out level))
        {
            // A bare name that is no parameter is a vector, as ngspice reads 'when v(out)=v(in)'.
            if ((failure = Missing(VectorExpression.Plain(c.BareName).TryResolve(set, degrees, out other))) is not null)
            {
                failure = $"'{c.BareName}' is neither a parameter nor a vector";
                return double.NaN;
            }

            hasOther = true;
        }
        else if (c.BareName is null)
        {
            level = Evaluate(c.Value!, parameters);
        }

        double delay = c.Delay is null ? 0 : Evaluate(c.Delay, parameters);
        double r = MeasureAlgorithms.When(d, other, hasOther, level, c.Count, delay, kind);
        if (double.IsNaN(r))
        {
            string target = hasOther ? (c.Other?.Text ?? c.BareName!) : Format(level);
            failure = string.Create(CultureInfo.InvariantCulture, $"out of interval: {clause} {c.Vector}={target}{Describe(c.Count)} is never met");
        }

        return r;
    }

    private static string Describe(CrossingCount c)
    {
        static string N(int n) => n == CrossingCount.Last ? "last" : n.ToString(CultureInfo.InvariantCulture);
        return c.Rise != CrossingCount.None ? " rise=" + N(c.Rise)
            : c.Fall != CrossingCount.None ? " fall=" + N(c.Fall)
            : c.Cross != CrossingCount.None ? " cross=" + N(c.Cross)
            : string.Empty;
    }

    private static string? Missing(string? vector) => vector is null ? null : $"no such vector as '{vector}'";

    private static string EmptyWindow(IVectorSet set) => $"out of interval: no samples between from= and to= (data {Range(set)})";

    private static string Range(IVectorSet set) =>
        set.Scale.Count == 0 ? "no points" : $"{set.ScaleName} {Format(set.Scale[0])} to {Format(set.Scale[^1])}";

    private static double? Optional(Expression? e, IParameterScope parameters) => e is null ? null : Evaluate(e, parameters);

    private static double Evaluate(Expression e, IParameterScope parameters) => e.Evaluate(parameters);

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

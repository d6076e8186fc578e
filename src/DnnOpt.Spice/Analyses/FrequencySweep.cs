using System.Globalization;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Analyses;

/// <summary>
/// A frequency sweep of an AC or noise analysis: <c>dec</c> (points per decade), <c>oct</c> (points per octave) or
/// <c>lin</c> (points in total) from <see cref="Start"/> to <see cref="Stop"/> hertz.
/// </summary>
/// <param name="Kind">Point spacing.</param>
/// <param name="Points">Points per decade/octave, or in total for <c>lin</c> (at least 1).</param>
/// <param name="Start">First frequency in hertz (positive for dec/oct).</param>
/// <param name="Stop">Last frequency in hertz (not below <paramref name="Start"/>).</param>
public sealed record FrequencySweep(FrequencySweepKind Kind, int Points, double Start, double Stop)
{
    /// <summary>Largest number of points one sweep may produce (guards against a mistyped count).</summary>
    public const int MaxPoints = 1_000_000;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">Non-finite limits, start ≤ 0 for dec/oct, stop &lt; start, points &lt; 1.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Start) || !double.IsFinite(Stop))
        {
            throw new ArgumentException("frequency limits must be finite");
        }

        if (Points < 1)
        {
            throw new ArgumentException("the number of points must be at least 1");
        }

        if (Kind != FrequencySweepKind.Linear && !(Start > 0))
        {
            throw new ArgumentException("a dec or oct sweep needs a positive start frequency");
        }

        if (Start < 0 || Stop < Start)
        {
            throw new ArgumentException("need 0 <= fstart <= fstop");
        }
    }

    /// <summary>Checks the values and that the analysis has a grid (see <see cref="Frequencies"/>).</summary>
    /// <param name="noise">True for a <c>.noise</c> sweep, false for <c>.ac</c>.</param>
    /// <exception cref="ArgumentException">What <see cref="Frequencies"/> would throw.</exception>
    public void Validate(bool noise)
    {
        Validate();
        if (Kind == FrequencySweepKind.Decade && !noise)
        {
            _ = AcDecadeSteps();
        }
    }

    /// <summary>ngspice 39.3's whole number of <c>.ac dec</c> steps from fstart to fstop; throws when it is 0.</summary>
    private double AcDecadeSteps()
    {
        double steps = Math.Floor(Math.Abs(Math.Log10(Stop / Start)) * Points);
        if (steps == 0)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"dec {Points} from {Start:R} to {Stop:R} Hz spans less than one step (1/{Points} decade): ngspice 39.3 has no grid for it (it never ends, or has no points when fstart = fstop); widen the span or use lin"));
        }

        return steps;
    }

    /// <summary>
    /// The frequencies exactly as ngspice 39.3 visits them (ACan/NOISEan): f₀ = fstart, then f·Δ (dec/oct) or
    /// f + Δ (lin) while f ≤ fstop + tol, with tol = Δ·fstop·reltol (dec/oct) or Δ·reltol (lin); values accumulate by
    /// repeated multiplication or addition, as there. Δ: <c>.ac dec</c> stretches the step so that a whole number of
    /// steps spans the range, s = ⌊n·|log10(fstop/fstart)|⌋ and Δ = exp(ln(fstop/fstart)/s), so the last point
    /// lands on fstop (to rounding) even when the span is not a whole number of decades; <c>.noise dec</c> keeps
    /// Δ = exp(ln 10 / n), and oct (both analyses) Δ = exp(ln 2 / n), so their last point is the last whole step
    /// at or below fstop. lin: (fstop - fstart)/(n - 1); for <c>.ac lin</c> with fewer than 3 points ngspice's step
    /// is 0 and only fstart is computed, while <paramref name="noise"/> selects the <c>.noise</c> rule, which always
    /// divides by n - 1.
    /// </summary>
    /// <param name="relTol">The circuit's reltol.</param>
    /// <param name="noise">True for the noise analysis's rules (dec step, linear step).</param>
    /// <returns>The frequencies in hertz.</returns>
    /// <exception cref="ArgumentException">
    /// Invalid values (<see cref="Validate()"/>), or an <c>.ac dec</c> span shorter than one step (s = 0, including
    /// fstart = fstop): ngspice 39.3 has no grid for it (its step is infinite or undefined; it loops forever or
    /// produces no points).
    /// </exception>
    public double[] Frequencies(double relTol, bool noise = false)
    {
        Validate(noise);
        double delta;
        double tol;
        switch (Kind)
        {
            case FrequencySweepKind.Decade when !noise:
                delta = Math.Exp(Math.Log(Stop / Start) / AcDecadeSteps());
                tol = delta * Stop * relTol;
                break;
            case FrequencySweepKind.Decade:
                delta = Math.Exp(Math.Log(10.0) / Points);
                tol = delta * Stop * relTol;
                break;
            case FrequencySweepKind.Octave:
                delta = Math.Exp(Math.Log(2.0) / Points);
                tol = delta * Stop * relTol;
                break;
            default:
                delta = noise ? (Points > 1 ? (Stop - Start) / (Points - 1) : 0) : (Points - 1 > 1 ? (Stop - Start) / (Points - 1) : 0);
                tol = delta * relTol;
                break;
        }

        var f = new List<double>();
        double freq = Start;
        while (freq <= Stop + tol)
        {
            if (f.Count >= MaxPoints)
            {
                throw new ArgumentException($"frequency sweep has more than {MaxPoints} points");
            }

            f.Add(freq);
            if (Kind == FrequencySweepKind.Linear)
            {
                if (delta == 0)
                {
                    break;
                }

                freq += delta;
            }
            else
            {
                if (delta == 1)
                {
                    break;
                }

                freq *= delta;
            }
        }

        return [.. f];
    }
}

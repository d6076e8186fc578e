using System.Buffers;

namespace DnnOpt.Spice.Measurements;

/// <summary>How an analysis's scale is treated by the measure algorithms (ngspice's tran/dc/ac checks).</summary>
internal enum ScaleKind
{
    /// <summary>Time: <c>td=</c> skips samples before it.</summary>
    Time,

    /// <summary>DC sweep value: may run either way and restart (nested sweeps); <c>td=</c> is ignored.</summary>
    Sweep,

    /// <summary>Frequency (ac, noise): negative scale values are skipped, <c>td=</c> is ignored.</summary>
    Frequency,
}

/// <summary>
/// The measurement algorithms, written from the behaviour of ngspice 39's <c>.meas</c> (manual chapter ".meas" and
/// the observed results of <c>ngspice -b</c>): linear interpolation in the scale, crossing counts as ngspice counts
/// them, unweighted sample extremes, trapezoidal averages, and Simpson 3/8, Simpson 1/3 or trapezoid panels for
/// <c>integ</c>/<c>rms</c> chosen by equal step widths (within 100 ulps). Every routine returns NaN when it cannot
/// produce a value; none allocates on the managed heap.
/// </summary>
internal static class MeasureAlgorithms
{
    private const int Above = 0;
    private const int Below = 1;

    /// <summary>
    /// Scale value where <paramref name="d"/> crosses <paramref name="level"/> (or the second vector when
    /// <paramref name="hasSecond"/>), selected by <paramref name="count"/>; NaN when there is no such crossing.
    /// </summary>
    public static double When(in ResolvedVector d, in ResolvedVector second, bool hasSecond, double level, CrossingCount count, double delay, ScaleKind kind)
    {
        int rise = 0, fall = 0, cross = 0;
        int section = -1;
        bool pending = false;
        bool found = false;
        double measured = double.NaN;
        double prevValue = 0, prevValue2 = 0, prevScale = 0;
        int first = 0;
        double origin = delay;
        IReadOnlyList<double> scale = d.Scale;
        int n = hasSecond ? Math.Min(d.Count, second.Count) : d.Count;
        for (int i = 0; i < n; i++)
        {
            double value = d[i];
            double s = scale[i];
            double value2 = hasSecond ? second[i] : level;

            // A DC sweep may start anywhere: its first value is the origin to which nested sweeps return.
            if (kind == ScaleKind.Sweep && i == 0)
            {
                origin = s;
            }

            if (kind == ScaleKind.Time && s < delay)
            {
                continue;
            }
            else if (kind == ScaleKind.Frequency && s < 0)
            {
                continue;
            }

            if (first > 1 && kind == ScaleKind.Sweep && origin == s)
            {
                first = 1;
            }

            double lv = hasSecond ? value2 : level;
            if (first == 1)
            {
                // ngspice decides the starting side from the second sample and counts a crossing between the first
                // two samples here, without taking a measurement at it.
                cross = 0;
                if (value < lv)
                {
                    section = Below;
                    if (prevValue <= lv && value >= lv)
                    {
                        fall = 1;
                        cross = 1;
                    }
                }
                else
                {
                    section = Above;
                    if (prevValue <= lv && value >= lv)
                    {
                        rise = 1;
                        cross = 1;
                    }
                }
            }

            if (first > 1)
            {
                if (section == Below && value >= lv)
                {
                    section = Above;
                    cross++;
                    rise++;
                    if (count.Fall != CrossingCount.Last)
                    {
                        pending = true;
                    }
                }
                else if (section == Above && value <= lv)
                {
                    section = Below;
                    cross++;
                    fall++;
                    if (count.Rise != CrossingCount.Last)
                    {
                        pending = true;
                    }
                }

                if (cross == count.Cross || rise == count.Rise || fall == count.Fall)
                {
                    return Interpolate(hasSecond, level, prevValue, prevValue2, prevScale, value, value2, s);
                }

                if (pending)
                {
                    if (!count.IsGiven)
                    {
                        return Interpolate(hasSecond, level, prevValue, prevValue2, prevScale, value, value2, s);
                    }
                    else if (count.Cross == CrossingCount.Last || count.Rise == CrossingCount.Last || count.Fall == CrossingCount.Last)
                    {
                        measured = Interpolate(hasSecond, level, prevValue, prevValue2, prevScale, value, value2, s);
                        found = true;
                    }

                    pending = false;
                }
            }

            first++;
            prevValue = value;
            if (hasSecond)
            {
                prevValue2 = value2;
            }

            prevScale = s;
        }

        return found ? measured : double.NaN;
    }

    private static double Interpolate(bool hasSecond, double level, double prevValue, double prevValue2, double prevScale, double value, double value2, double s) =>
        hasSecond
            ? prevScale + ((prevValue2 - prevValue) * (s - prevScale) / (value - prevValue - value2 + prevValue2))
            : prevScale + ((level - prevValue) * (s - prevScale) / (value - prevValue));

    /// <summary>The vector linearly interpolated at scale value <paramref name="at"/> (first bracketing pair; DC
    /// sweeps may also run downwards); NaN outside the data.</summary>
    public static double At(in ResolvedVector d, double at, ScaleKind kind) => Bracket(d, at, kind, slope: false);

    /// <summary>The slope of the linear interpolation on the segment that <see cref="At"/> uses; NaN outside.</summary>
    public static double SlopeAt(in ResolvedVector d, double at, ScaleKind kind) => Bracket(d, at, kind, slope: true);

    private static double Bracket(in ResolvedVector d, double at, ScaleKind kind, bool slope)
    {
        IReadOnlyList<double> scale = d.Scale;
        double pv = 0, ps = 0;
        int n = d.Count;
        for (int i = 0; i < n; i++)
        {
            double value = d[i];
            double s = scale[i];
            if (i > 0 && ((ps <= at && s >= at) || (kind == ScaleKind.Sweep && ps >= at && s <= at)))
            {
                return slope ? (value - pv) / (s - ps) : pv + ((at - ps) * (value - pv) / (s - ps));
            }

            ps = s;
            pv = value;
        }

        return double.NaN;
    }

    /// <summary>Default window of ngspice: from 0 with no end (to = 0) for time and frequency; everything for DC.</summary>
    public static (double From, double To) Window(double? from, double? to, ScaleKind kind)
    {
        if (kind == ScaleKind.Sweep)
        {
            double f = from ?? -1e99, t = to ?? 1e99;
            return t < f ? (t, f) : (f, t);
        }

        return (from ?? 0, to ?? 0);
    }

    /// <summary>
    /// Min, max (value and scale position of the last extreme sample) or trapezoidal average over the samples inside
    /// [from, to] (no interpolation at the window ends, as ngspice); Count is the number of samples used.
    /// </summary>
    public static (double Value, double At, int Count) Statistic(in ResolvedVector d, MeasureFunction function, double from, double to, ScaleKind kind)
    {
        IReadOnlyList<double> scale = d.Scale;
        double m = 0, mAt = 0, sum = 0, pvalue = 0, sprev = 0;
        int used = 0;
        bool average = function == MeasureFunction.Average;
        bool min = function is MeasureFunction.Min or MeasureFunction.MinAt;
        int n = d.Count;
        for (int i = 0; i < n; i++)
        {
            double s = scale[i];
            if (kind == ScaleKind.Sweep)
            {
                if (s < from || s > to)
                {
                    continue;
                }
            }
            else
            {
                if (s < from)
                {
                    continue;
                }

                if (to != 0 && s > to)
                {
                    break;
                }
            }

            double value = d[i];
            if (used++ == 0)
            {
                m = average ? 0 : value;
                mAt = s;
                pvalue = value;
                sprev = s;
                continue;
            }

            if (average)
            {
                m += 0.5 * (value + pvalue) * (s - sprev);
                sum += s - sprev;
                pvalue = value;
                sprev = s;
            }
            else if (min ? value <= m : value >= m)
            {
                m = value;
                mAt = s;
            }
        }

        return average ? (used == 0 ? double.NaN : m / sum, mAt, used) : (used == 0 ? double.NaN : m, mAt, used);
    }

    /// <summary>
    /// ∫ d over [from, to] (or sqrt(∫ d² / span) for rms) with the window ends interpolated, integrated panel by panel
    /// as ngspice does: Simpson 3/8 where three consecutive steps are equal, else Simpson 1/3 where two are, else the
    /// trapezoid. Count is the number of samples used (0: empty window).
    /// </summary>
    public static (double Value, int Count) Integral(in ResolvedVector d, bool rms, double from, double to)
    {
        IReadOnlyList<double> scale = d.Scale;
        int n = d.Count;
        double[] x = ArrayPool<double>.Shared.Rent(n + 1);
        double[] y = ArrayPool<double>.Shared.Rent(n + 1);
        double[] width = ArrayPool<double>.Shared.Rent(n + 3);
        try
        {
            int size = 0;
            double toValue = -1;
            double start = double.NaN;
            for (int i = 0; i < n; i++)
            {
                double value = d[i];
                double s = scale[i];
                if (s < from)
                {
                    continue;
                }

                if (to != 0 && s > to)
                {
                    if (i == 0)
                    {
                        break;
                    }

                    if (!AlmostEqualUlps(s, to, 100))
                    {
                        value = InterpolateY(d, i - 1, i, to);
                        s = to;
                    }

                    x[size] = s;
                    y[size++] = rms ? value * value : value;
                    toValue = s;
                    break;
                }

                if (size == 0)
                {
                    if (from != 0 && i > 0 && !AlmostEqualUlps(s, from, 100))
                    {
                        value = InterpolateY(d, i - 1, i, from);
                        s = from;
                    }

                    start = s;
                }

                x[size] = s;
                y[size++] = rms ? value * value : value;
            }

            if (size == 0)
            {
                return (double.NaN, 0);
            }

            int k;
            for (k = 0; k < size - 1; k++)
            {
                width[k] = x[k + 1] - x[k];
            }

            width[k] = 0;
            width[k + 1] = 0;
            double sum1 = 0, sum2 = 0, sum3 = 0;
            int p = 0;
            while (p < size - 1)
            {
                if (p + 3 < size && AlmostEqualUlps(width[p], width[p + 1], 100) && AlmostEqualUlps(width[p], width[p + 2], 100))
                {
                    sum1 += 3 * width[p] * (y[p] + (3 * (y[p + 1] + y[p + 2])) + y[p + 3]) / 8.0;
                    p += 3;
                }
                else if (p + 2 < size && AlmostEqualUlps(width[p], width[p + 1], 100))
                {
                    sum2 += width[p] * (y[p] + (4 * y[p + 1]) + y[p + 2]) / 3.0;
                    p += 2;
                }
                else
                {
                    sum3 += width[p] * (y[p] + y[p + 1]) / 2;
                    p++;
                }
            }

            if (toValue < 0.0)
            {
                toValue = scale[n - 1];
            }

            double total = sum1 + sum2 + sum3;
            return (rms ? Math.Sqrt(total / (toValue - start)) : total, size);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(y);
            ArrayPool<double>.Shared.Return(width);
        }
    }

    private static double InterpolateY(in ResolvedVector d, int i, int j, double at)
    {
        double slope = (d[j] - d[i]) / (d.Scale[j] - d.Scale[i]);
        double intercept = d[i] - (slope * d.Scale[i]);
        return (slope * at) + intercept;
    }

    /// <summary>Equality within <paramref name="maxUlps"/> units in the last place (Dawson's comparison, as ngspice).</summary>
    public static bool AlmostEqualUlps(double a, double b, int maxUlps)
    {
        if (a == b)
        {
            return true;
        }

        long ai = BitConverter.DoubleToInt64Bits(a);
        long bi = BitConverter.DoubleToInt64Bits(b);
        unchecked
        {
            if (ai < 0)
            {
                ai = long.MinValue - ai;
            }

            if (bi < 0)
            {
                bi = long.MinValue - bi;
            }

            long diff = ai - bi;
            return (diff < 0 ? -diff : diff) <= maxUlps;
        }
    }
}

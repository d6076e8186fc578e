using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Sources.Waveforms;

/// <summary>Builds a <see cref="IWaveform"/> from a source's parsed arguments with ngspice's defaults.</summary>
internal static class Waveform
{
    /// <summary>
    /// Creates the time function of <c>kind(args)</c>. Defaults that depend on the analysis (TR, TF, TAU = TSTEP;
    /// PW, PER = TSTOP; FREQ = 1/TSTOP) use <paramref name="step"/> and <paramref name="stop"/>.
    /// </summary>
    /// <param name="kind">Lower-case function name.</param>
    /// <param name="args">Positional arguments.</param>
    /// <param name="step">The <c>.tran</c> step in seconds.</param>
    /// <param name="stop">The <c>.tran</c> stop time in seconds.</param>
    /// <param name="location">The source line, for messages.</param>
    /// <param name="name">The source name, for messages.</param>
    /// <returns>The waveform.</returns>
    /// <exception cref="SpiceParseException">Too few or too many arguments, or values that make the function undefined.</exception>
    public static IWaveform Create(string kind, double[] args, double step, double stop, SourceLocation location, string name)
    {
        double Arg(int i, double fallback) => i < args.Length ? args[i] : fallback;
        double NonZero(int i, double fallback) => i < args.Length && args[i] != 0 ? args[i] : fallback;
        void Count(int min, int max)
        {
            if (args.Length < min || args.Length > max)
            {
                throw new SpiceParseException(location, $"{name}: {kind}() takes {min} to {max} arguments, got {args.Length}");
            }
        }

        switch (kind)
        {
            case "pulse":
                Count(2, 8);
                if (args.Length == 8 && args[7] != 0)
                {
                    throw new SpiceParseException(location, $"{name}: pulse() with a pulse count (np) is not supported");
                }

                return new PulseWaveform(args[0], args[1], Arg(2, 0), NonZero(3, step), NonZero(4, step), NonZero(5, stop), NonZero(6, stop));
            case "sin":
                Count(2, 6);
                return new SineWaveform(args[0], args[1], NonZero(2, 1 / stop), Arg(3, 0), Arg(4, 0), Arg(5, 0));
            case "exp":
                Count(2, 6);
                double td1 = Arg(2, 0);
                return new ExponentialWaveform(args[0], args[1], td1, NonZero(3, step), NonZero(4, td1 + step), NonZero(5, step));
            case "sffm":
                Count(2, 5);
                return new SffmWaveform(args[0], args[1], NonZero(2, 1 / stop), Arg(3, 0), NonZero(4, 1 / stop));
            case "pwl":
                if (args.Length < 2 || args.Length % 2 != 0)
                {
                    throw new SpiceParseException(location, $"{name}: pwl() needs time/value pairs, got {args.Length} numbers");
                }

                double[] times = new double[args.Length / 2];
                double[] values = new double[args.Length / 2];
                for (int i = 0; i < times.Length; i++)
                {
                    times[i] = args[2 * i];
                    values[i] = args[(2 * i) + 1];
                    if (i > 0 && times[i] < times[i - 1])
                    {
                        throw new SpiceParseException(location, $"{name}: pwl() times must not decrease ({SpiceNumber.Format(times[i])} after {SpiceNumber.Format(times[i - 1])})");
                    }
                }

                return new PwlWaveform(times, values);
            default:
                throw new SpiceParseException(location, $"{name}: the '{kind}' source function is not supported in transient analysis");
        }
    }
}

using System.Globalization;
using System.Security;
using System.Text;

namespace DnnOpt.Cli;

/// <summary>
/// Writes <c>convergence.svg</c>: the figure of merit of every simulation with its best-so-far curve (top panel,
/// symmetric-log axis because early penalties dwarf late improvements), and the best feasible objective so far
/// (bottom panel, linear, in the objective's unit), with the first feasible simulation marked. Self-contained SVG 1.1,
/// no scripts or external fonts, so any browser or document tool shows it.
/// </summary>
internal static class ConvergencePlot
{
    private const double Width = 760;
    private const double PanelHeight = 250;
    private const double Left = 100;
    private const double Right = 20;
    private const double Top = 40;
    private const double Gap = 60;

    /// <summary>One simulation as the plot needs it.</summary>
    public readonly record struct Point(double Fom, bool Feasible, double Objective);

    public static string Render(string title, string objectiveName, string objectiveUnit, IReadOnlyList<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sb = new StringBuilder();
        double height = Top + PanelHeight + Gap + PanelHeight + 50;
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        sb.Append(Inv($"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n"));
        sb.Append(Inv($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n"));
        int n = points.Count;
        int firstFeasible = -1;
        for (int i = 0; i < n; i++)
        {
            if (points[i].Feasible)
            {
                firstFeasible = i;
                break;
            }
        }

        // Top panel: FoM per simulation and best so far, on sign(v)·log10(1 + |v|).
        double top = Top;
        var fom = points.Select(p => SymLog(p.Fom)).ToArray();
        var bestSoFar = new double[n];
        double best = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            best = Math.Min(best, points[i].Fom);
            bestSoFar[i] = SymLog(best);
        }

        (double yMin, double yMax) = Range(fom.Where(double.IsFinite));
        Frame(sb, top, n, yMin, yMax, "FoM (symlog)", v => Inv($"{InverseSymLog(v):G3}"));
        for (int i = 0; i < n; i++)
        {
            if (double.IsFinite(fom[i]))
            {
                string colour = points[i].Feasible ? "#2a9d3a" : "#9a9a9a";
                sb.Append(Inv($"<circle cx=\"{X(i, n):F1}\" cy=\"{Y(fom[i], top, yMin, yMax):F1}\" r=\"2\" fill=\"{colour}\"/>\n"));
            }
        }

        Polyline(sb, bestSoFar, top, yMin, yMax, "#1f5fbf");
        Legend(sb, top, [("#9a9a9a", "simulation (infeasible)"), ("#2a9d3a", "simulation (feasible)"), ("#1f5fbf", "best FoM so far")]);

        // Bottom panel: best feasible objective so far.
        double bottom = Top + PanelHeight + Gap;
        var objective = new double[n];
        double bestObjective = double.NaN;
        for (int i = 0; i < n; i++)
        {
            if (points[i].Feasible && double.IsFinite(points[i].Objective) && (double.IsNaN(bestObjective) || points[i].Objective < bestObjective))
            {
                bestObjective = points[i].Objective;
            }

            objective[i] = bestObjective;
        }

        string unitLabel = objectiveUnit.Length > 0 ? $"{objectiveName} ({objectiveUnit})" : objectiveName;
        if (firstFeasible < 0)
        {
            Frame(sb, bottom, n, 0, 1, $"best feasible {unitLabel}", _ => string.Empty);
            sb.Append(Inv($"<text x=\"{Left + ((Width - Left - Right) / 2)}\" y=\"{bottom + (PanelHeight / 2)}\" text-anchor=\"middle\" fill=\"#b03030\">no feasible design in {n} simulations</text>\n"));
        }
        else
        {
            (double oMin, double oMax) = Range(objective.Where(double.IsFinite));
            Frame(sb, bottom, n, oMin, oMax, $"best feasible {unitLabel}", v => Inv($"{v:G3}"));
            Polyline(sb, objective, bottom, oMin, oMax, "#c0392b");
            foreach (double panel in new[] { top, bottom })
            {
                double x = X(firstFeasible, n);
                sb.Append(Inv($"<line x1=\"{x:F1}\" y1=\"{panel}\" x2=\"{x:F1}\" y2=\"{panel + PanelHeight}\" stroke=\"#2a9d3a\" stroke-dasharray=\"4 3\"/>\n"));
            }

            sb.Append(Inv($"<text x=\"{X(firstFeasible, n) + 4:F1}\" y=\"{bottom + 14}\" fill=\"#2a9d3a\">first feasible: simulation {firstFeasible + 1}</text>\n"));
        }

        sb.Append(Inv($"<text x=\"{Left + ((Width - Left - Right) / 2)}\" y=\"{height - 12}\" text-anchor=\"middle\">simulations</text>\n"));
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Frame(StringBuilder sb, double top, int n, double yMin, double yMax, string label, Func<double, string> tick)
    {
        double w = Width - Left - Right;
        sb.Append(Inv($"<rect x=\"{Left}\" y=\"{top}\" width=\"{w}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#444\"/>\n"));
        for (int k = 0; k <= 4; k++)
        {
            double v = yMin + ((yMax - yMin) * k / 4);
            double y = Y(v, top, yMin, yMax);
            sb.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Left + w}\" y2=\"{y:F1}\" stroke=\"#e4e4e4\"/>\n"));
            sb.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Escape(tick(v))}</text>\n"));
        }

        for (int k = 0; k <= 5; k++)
        {
            int sim = (int)Math.Round(1 + ((Math.Max(n, 2) - 1) * k / 5.0));
            double x = X(sim - 1, n);
            sb.Append(Inv($"<text x=\"{x:F1}\" y=\"{top + PanelHeight + 16}\" text-anchor=\"middle\">{sim}</text>\n"));
        }

        sb.Append(Inv($"<text transform=\"translate(16 {top + (PanelHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(label)}</text>\n"));
    }

    private static void Polyline(StringBuilder sb, double[] values, double top, double yMin, double yMax, string colour)
    {
        var pts = new StringBuilder();
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsFinite(values[i]))
            {
                pts.Append(Inv($"{X(i, values.Length):F1},{Y(values[i], top, yMin, yMax):F1} "));
            }
        }

        if (pts.Length > 0)
        {
            sb.Append(Inv($"<polyline points=\"{pts.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"));
        }
    }

    private static void Legend(StringBuilder sb, double top, (string Colour, string Text)[] entries)
    {
        double x = Left + 10;
        foreach ((string colour, string text) in entries)
        {
            sb.Append(Inv($"<rect x=\"{x}\" y=\"{top + 8}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>\n"));
            sb.Append(Inv($"<text x=\"{x + 14}\" y=\"{top + 17}\">{Escape(text)}</text>\n"));
            x += 30 + (7 * text.Length);
        }
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (!double.IsFinite(min))
        {
            return (0, 1);
        }

        double pad = max > min ? 0.05 * (max - min) : Math.Max(1e-12, 0.05 * Math.Abs(max)) + 1e-300;
        return (min - pad, max + pad);
    }

    private static double X(int index, int n) => Left + ((Width - Left - Right) * (n <= 1 ? 0.5 : index / (double)(n - 1)));

    private static double Y(double v, double top, double min, double max) => top + (PanelHeight * (1 - ((v - min) / (max - min))));

    private static double SymLog(double v) => double.IsFinite(v) ? Math.Sign(v) * Math.Log10(1 + Math.Abs(v)) : double.NaN;

    private static double InverseSymLog(double s) => Math.Sign(s) * (Math.Pow(10, Math.Abs(s)) - 1);

    private static string Escape(string s) => SecurityElement.Escape(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

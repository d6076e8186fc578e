using System.Globalization;
using System.Net;
using System.Text;

namespace DnnOpt.Study;

/// <summary>
/// A small dependency-free SVG line chart: median best-so-far FoM against simulations, one line per algorithm, with a
/// dashed vertical line at each algorithm's median number of simulations to first success (as the paper's Fig. 3 marks
/// DNN-Opt's first feasible design).
/// </summary>
public static class SvgPlot
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(string title, IReadOnlyList<(string Name, IReadOnlyList<(int Evaluation, double Median, double Min, double Max)> Curve, double FirstSuccessMedian, int Color)> series)
    {
        const double width = 760, height = 460, left = 80, right = 170, top = 40, bottom = 60;
        double plotW = width - left - right, plotH = height - top - bottom;
        int xMax = Math.Max(1, series.SelectMany(s => s.Curve).Select(p => p.Evaluation).DefaultIfEmpty(1).Max());

        // The first few simulations are random and can sit orders of magnitude above the rest: scale the y axis to
        // what the curves do after 5 % of the budget, and clip earlier points to the frame.
        var visible = series.SelectMany(s => s.Curve)
            .Where(p => p.Evaluation >= Math.Max(1, xMax / 20) && double.IsFinite(p.Median)).Select(p => p.Median).ToArray();
        double yMin = visible.Length > 0 ? visible.Min() : 0, yMax = visible.Length > 0 ? visible.Max() : 1;
        if (!(yMax > yMin))
        {
            yMax = yMin + 1;
        }

        double pad = 0.05 * (yMax - yMin);
        yMin -= pad;
        yMax += pad;
        double X(double e) => left + (plotW * e / xMax);
        double Y(double v) => top + (plotH * (1 - ((Math.Clamp(v, yMin, yMax) - yMin) / (yMax - yMin))));

        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(Inv, $"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(Inv, $"<text x=\"{left + (plotW / 2)}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{WebUtility.HtmlEncode(title)}</text>\n");
        sb.Append(Inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333\"/>\n");
        for (int i = 0; i <= 5; i++)
        {
            double e = xMax * i / 5.0, v = yMin + ((yMax - yMin) * i / 5.0);
            sb.Append(Inv, $"<line x1=\"{X(e):0.##}\" y1=\"{top + plotH}\" x2=\"{X(e):0.##}\" y2=\"{top + plotH + 5}\" stroke=\"#333\"/>");
            sb.Append(Inv, $"<text x=\"{X(e):0.##}\" y=\"{top + plotH + 18}\" text-anchor=\"middle\">{e:0}</text>\n");
            sb.Append(Inv, $"<line x1=\"{left - 5}\" y1=\"{Y(v):0.##}\" x2=\"{left + plotW}\" y2=\"{Y(v):0.##}\" stroke=\"#ddd\"/>");
            sb.Append(Inv, $"<text x=\"{left - 8}\" y=\"{Y(v) + 4:0.##}\" text-anchor=\"end\">{v:G4}</text>\n");
        }

        sb.Append(Inv, $"<text x=\"{left + (plotW / 2)}\" y=\"{height - 18}\" text-anchor=\"middle\">simulations</text>\n");
        sb.Append(Inv, $"<text transform=\"translate(18 {top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\">best FoM so far (median over seeds)</text>\n");

        for (int s = 0; s < series.Count; s++)
        {
            string color = Palette[series[s].Color % Palette.Length];
            var points = series[s].Curve.Where(p => double.IsFinite(p.Median)).Select(p => $"{X(p.Evaluation).ToString("0.##", Inv)},{Y(p.Median).ToString("0.##", Inv)}");
            sb.Append(Inv, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>\n");
            double first = series[s].FirstSuccessMedian;
            if (double.IsFinite(first) && first <= xMax)
            {
                sb.Append(Inv, $"<line x1=\"{X(first):0.##}\" y1=\"{top}\" x2=\"{X(first):0.##}\" y2=\"{top + plotH}\" stroke=\"{color}\" stroke-width=\"1\" stroke-dasharray=\"5,4\"/>\n");
            }
            double ly = top + 10 + (s * 20);
            sb.Append(Inv, $"<line x1=\"{left + plotW + 15}\" y1=\"{ly}\" x2=\"{left + plotW + 40}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"/>");
            sb.Append(Inv, $"<text x=\"{left + plotW + 46}\" y=\"{ly + 4}\">{WebUtility.HtmlEncode(series[s].Name)}</text>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }
}

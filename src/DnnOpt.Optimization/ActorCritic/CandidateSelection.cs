namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// Eq. 8 of the paper and its batch extension: among candidates x_ca_i built from the elites, take the one whose
/// critic-predicted figure of merit g[Q(x_es_i, x_ca_i − x_es_i)] is smallest; for a batch, the k smallest, skipping
/// any candidate that repeats a simulated design or another pick (compared after integer rounding, by key).
/// </summary>
internal static class CandidateSelection
{
    /// <summary>
    /// Returns the indices of up to <paramref name="count"/> picks in order of increasing predicted g (ties: lower
    /// index first). <paramref name="chosen"/> receives the keys of the picks and is consulted too, so successive calls
    /// (rounds with fresh noise) never pick the same design twice. With <paramref name="groups"/> &gt; 1 (candidate i
    /// belongs to elite i mod groups), a first pass takes at most one candidate per elite and a second fills what is
    /// left, so a batch spreads over the elites as with one candidate each; the first pick is the same either way.
    /// </summary>
    public static List<int> Select(
        ReadOnlySpan<double> predicted, IReadOnlyList<string> keys, IReadOnlySet<string> seen, ISet<string> chosen, int count, int groups = 0)
    {
        if (keys.Count != predicted.Length)
        {
            throw new ArgumentException($"{keys.Count} keys for {predicted.Length} candidates.", nameof(keys));
        }

        double[] g = predicted.ToArray();
        int[] order = Enumerable.Range(0, g.Length).ToArray();
        // NaN predictions (a broken critic) rank last instead of poisoning the order.
        Array.Sort(order, (a, b) =>
        {
            double ga = double.IsNaN(g[a]) ? double.PositiveInfinity : g[a];
            double gb = double.IsNaN(g[b]) ? double.PositiveInfinity : g[b];
            return ga != gb ? ga.CompareTo(gb) : a.CompareTo(b);
        });
        var picks = new List<int>(count);

        // Pass 0 (batches over several elites only) takes at most one pick per elite; pass 1 fills what is left.
        bool[] elitePicked = new bool[Math.Max(groups, 1)];
        for (int pass = groups > 1 ? 0 : 1; pass < 2; pass++)
        {
            foreach (int i in order)
            {
                if (picks.Count == count)
                {
                    break;
                }

                bool skipElite = pass == 0 && elitePicked[i % groups];
                if (skipElite || seen.Contains(keys[i]) || !chosen.Add(keys[i]))
                {
                    continue;
                }

                if (pass == 0)
                {
                    elitePicked[i % groups] = true;
                }

                picks.Add(i);
            }
        }

        return picks;
    }
}

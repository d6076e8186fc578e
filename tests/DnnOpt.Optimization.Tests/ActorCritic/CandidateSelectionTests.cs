using DnnOpt.Optimization.ActorCritic;

namespace DnnOpt.Optimization.Tests.ActorCritic;

public sealed class CandidateSelectionTests
{
    [Fact]
    public void Eq8_picks_the_candidate_with_the_smallest_predicted_fom()
    {
        var picks = CandidateSelection.Select([0.7, -0.2, 0.1, double.NaN], ["a", "b", "c", "d"], new HashSet<string>(), new HashSet<string>(), 1);
        Assert.Equal([1], picks);
    }

    [Fact]
    public void Batch_takes_the_k_best_distinct_new_designs()
    {
        var seen = new HashSet<string> { "b" };
        var chosen = new HashSet<string>();
        // "b" was simulated already; the second "c" is the same design after rounding.
        var picks = CandidateSelection.Select([0.5, -1, 0.2, 0.3, 0.4, double.NaN], ["a", "b", "c", "c", "e", "f"], seen, chosen, 3);
        Assert.Equal([2, 4, 0], picks);
        var more = CandidateSelection.Select([0.0, 0.1], ["a", "g"], seen, chosen, 3);
        Assert.Equal([1], more);
    }

    [Fact]
    public void A_batch_takes_one_candidate_per_elite_before_a_second_from_any()
    {
        // Six candidates of two elites (candidate i belongs to elite i mod 2): elite 0 holds the three best.
        double[] g = [-3, 5, -2, 6, -1, 7];
        string[] keys = ["a", "b", "c", "d", "e", "f"];
        Assert.Equal([0, 2], CandidateSelection.Select(g, keys, new HashSet<string>(), new HashSet<string>(), 2));
        Assert.Equal([0, 1, 2], CandidateSelection.Select(g, keys, new HashSet<string>(), new HashSet<string>(), 3, groups: 2));
        Assert.Equal([0], CandidateSelection.Select(g, keys, new HashSet<string>(), new HashSet<string>(), 1, groups: 2));
    }
}

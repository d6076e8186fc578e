using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Tests.Algebra;

/// <summary>The two structures behind the fast Markowitz ordering, each against a plain model of what it claims.</summary>
public sealed class MarkowitzStructuresTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(64, 3)]
    [InlineData(1000, 4)]
    public void Count_tree_finds_the_first_line_below_a_bound_like_a_scan(int n, int seed)
    {
        var rng = new Random(seed);
        int[] counts = [.. Enumerable.Range(0, n).Select(_ => rng.Next(1, 12))];
        var tree = new LineCountTree(counts);
        for (int round = 0; round < 2000; round++)
        {
            int line = rng.Next(n);
            int value = rng.Next(6) == 0 ? int.MaxValue : rng.Next(1, 12);
            counts[line] = value;
            tree.Set(line, value);
            int from = rng.Next(n + 1);
            int bound = rng.Next(6) == 0 ? int.MaxValue : rng.Next(1, 13);
            int expected = -1;
            for (int i = from; i < n; i++)
            {
                if (counts[i] < bound)
                {
                    expected = i;
                    break;
                }
            }

            Assert.Equal(expected, tree.FindFirstBelow(from, bound));
            Assert.Equal(counts[line], tree[line]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Line_pool_reads_entries_in_the_order_a_dictionary_enumerates(int seed)
    {
        // The rule the pivot ties rely on: position order, a freed position reused last in first out, lines moving
        // when full. A Dictionary with the same history is the model (its enumeration follows the same rule).
        var rng = new Random(seed);
        const int lines = 9;
        int[] initial = [.. Enumerable.Range(0, lines).Select(_ => rng.Next(0, 4))];
        var pool = new SparseLinePool<double>(initial, 1, hasValues: true);
        var model = Enumerable.Range(0, lines).Select(_ => new Dictionary<int, double>()).ToArray();
        for (int step = 0; step < 5000; step++)
        {
            int line = rng.Next(lines);
            int key = rng.Next(40);
            if (model[line].ContainsKey(key))
            {
                model[line].Remove(key);
                int[] keys = pool.Keys;
                int start = pool.Start(line);
                int p = Enumerable.Range(0, pool.Top(line)).First(q => keys[start + q] == key);
                pool.Remove(line, p);
            }
            else
            {
                model[line][key] = key * 0.5;
                _ = pool.Add(line, key, 0, key * 0.5);
            }

            int check = rng.Next(lines);
            int[] k = pool.Keys;
            int s = pool.Start(check);
            int[] got = [.. Enumerable.Range(s, pool.Top(check)).Where(q => k[q] >= 0).Select(q => k[q])];
            Assert.Equal(model[check].Keys, got);
            Assert.Equal(model[check].Values, got.Select(g => pool.Values[Array.IndexOf(k, g, s)]));
            Assert.Equal(model[check].Count, pool.Count(check));
        }
    }
}

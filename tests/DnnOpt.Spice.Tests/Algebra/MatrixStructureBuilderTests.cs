using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Tests.Algebra;

/// <summary>The slot table: one slot per distinct (row, column), ground skipped, stable on repeated requests.</summary>
public sealed class MatrixStructureBuilderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20001)]
    public void Banded_pattern_gets_one_slot_per_entry_in_request_order(int n)
    {
        // Diagonal, both off-diagonals and the anti-diagonal: keys whose plain long hashes (row ^ col) collide.
        var b = new MatrixStructureBuilder(n);
        var expected = new Dictionary<(int, int), int>();
        for (int i = 0; i < n; i++)
        {
            foreach ((int r, int c) in new[] { (i, i), (i, i + 1), (i + 1, i), (i, n - 1 - i) })
            {
                if (r >= n || c >= n)
                {
                    continue;
                }

                expected.TryAdd((r, c), expected.Count);
                Assert.Equal(expected[(r, c)], b.GetSlot(r, c));
            }
        }

        Assert.Equal(expected.Count, b.Count);
        Assert.Equal(-1, b.GetSlot(-1, 0));
        Assert.Equal(-1, b.GetSlot(0, -1));
        for (int s = 0; s < b.Count; s++)
        {
            Assert.Equal(s, b.GetSlot(b.Rows[s], b.Columns[s]));
        }

        Assert.Equal(expected.Count, b.Count);
    }
}

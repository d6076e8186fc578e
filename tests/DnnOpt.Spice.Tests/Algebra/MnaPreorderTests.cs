using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Tests.Algebra;

/// <summary>
/// Sparse 1.3's MNA preorder as ngspice's LoadGmin sees it: which entries are the diagonal after voltage-source
/// branches are swapped with their twin nodes. Matrices are written as (row, col, value) triples.
/// </summary>
public sealed class MnaPreorderTests
{
    private static (int Row, int Col)[] Diagonal(int n, params (int Row, int Col, double Value)[] entries)
    {
        int[] slots = MnaPreorder.DiagonalSlots(n, [.. entries.Select(e => e.Row)], [.. entries.Select(e => e.Col)], [.. entries.Select(e => e.Value)]);
        return [.. slots.Select(s => (entries[s].Row, entries[s].Col))];
    }

    [Fact]
    public void Grounded_source_swaps_with_its_node()
    {
        // Unknowns: 0 = node a (R to ground), 1 = branch of v1 a 0.
        (int, int)[] d = Diagonal(2, (0, 0, 1e-3), (0, 1, 1.0), (1, 0, 1.0));
        Assert.Equal([(0, 1), (1, 0)], d);
    }

    [Fact]
    public void Node_without_a_source_keeps_its_diagonal()
    {
        // 0 = a, 1 = b (R between them and to ground), 2 = branch of v1 a 0: b keeps (b, b).
        (int, int)[] d = Diagonal(3, (0, 0, 2e-3), (0, 1, -1e-3), (1, 0, -1e-3), (1, 1, 2e-3), (0, 2, 1.0), (2, 0, 1.0));
        Assert.Equal([(0, 2), (1, 1), (2, 0)], d);
    }

    [Fact]
    public void Floating_source_swaps_with_its_lower_node()
    {
        // 0 = a, 1 = b, 2 = branch of v1 a b (two twins: Sparse swaps with the first one in the column, node a).
        (int, int)[] d = Diagonal(3, (0, 0, 1e-3), (1, 1, 1e-3), (0, 2, 1.0), (1, 2, -1.0), (2, 0, 1.0), (2, 1, -1.0));
        Assert.Equal([(0, 2), (1, 1), (2, 0)], d);
    }

    [Fact]
    public void Stacked_sources_each_take_one_node()
    {
        // 0 = a, 1 = b, 2 = branch of v2 b a (twins a and b), 3 = branch of v1 a 0 (lone twin a). The lone twin goes
        // first; then b is the only twin left for v2, whose column no longer meets a's (now moved) column.
        (int, int)[] d = Diagonal(4, (0, 0, 1e-3), (1, 1, 1e-3), (1, 2, 1.0), (0, 2, -1.0), (2, 1, 1.0), (2, 0, -1.0), (0, 3, 1.0), (3, 0, 1.0));
        Assert.Equal([(0, 3), (1, 2), (2, 1), (3, 0)], d);
    }

    [Fact]
    public void Branch_with_a_diagonal_is_not_swapped()
    {
        // An inductor's branch row has its own (branch, branch) entry, so it keeps it, as in Sparse (structural test).
        (int, int)[] d = Diagonal(3, (0, 0, 1e-3), (1, 1, 1e-3), (0, 2, 1.0), (1, 2, -1.0), (2, 0, 1.0), (2, 1, -1.0), (2, 2, 0.0));
        Assert.Equal([(0, 0), (1, 1), (2, 2)], d);
    }

    [Fact]
    public void Only_unit_entries_are_twins()
    {
        // A branch whose KCL entries are not ±1 (a scaled stamp) has no twin and no diagonal.
        (int, int)[] d = Diagonal(2, (0, 0, 1e-3), (0, 1, 2.0), (1, 0, 2.0));
        Assert.Equal([(0, 0)], d);
    }
}

using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Tests.Parsing;

/// <summary>
/// The compact name=value map of a netlist line against a <see cref="Dictionary{TKey, TValue}"/> used the way the parser
/// uses it (adds, overwrites, removals at the end): same pairs, same enumeration order, same lookups.
/// </summary>
public sealed class NamedValuesTests
{
    public static TheoryData<int> Seeds => [1, 2, 3, 17, 99];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Behaves_like_a_dictionary_that_is_added_to_then_removed_from(int seed)
    {
        var random = new Random(seed);
        string[] names = ["w", "l", "m", "ad", "as", "pd", "ps", "nrd", "nrs", "ic", "ic2", "ic3", "off"];
        for (int trial = 0; trial < 200; trial++)
        {
            var map = new NamedValues<int>(random.Next(0, 4));
            var reference = new Dictionary<string, int>(StringComparer.Ordinal);
            int operations = random.Next(0, 25);
            for (int k = 0; k < operations; k++)
            {
                string name = names[random.Next(names.Length)];
                int value = random.Next();
                if (random.Next(3) == 0)
                {
                    Assert.Equal(reference.TryAdd(name, value), map.TryAdd(name, value));
                }
                else
                {
                    reference[name] = value;
                    map.Set(name, value);
                }
            }

            for (int k = random.Next(0, 4); k > 0; k--)
            {
                string name = names[random.Next(names.Length)];
                Assert.Equal(reference.Remove(name, out int expected), map.Remove(name, out int actual));
                Assert.Equal(expected, actual);
            }

            Assert.Equal(reference.Count, map.Count);
            Assert.Equal(reference.ToList(), map.ToList());
            Assert.Equal(reference.Keys, map.Keys);
            Assert.Equal(reference.Values, map.Values);
            var enumerated = new List<KeyValuePair<string, int>>();
            foreach (KeyValuePair<string, int> kv in map)
            {
                enumerated.Add(kv);
            }

            Assert.Equal(reference.ToList(), enumerated);
            foreach (string name in names)
            {
                Assert.Equal(reference.ContainsKey(name), map.ContainsKey(name));
                Assert.Equal(reference.TryGetValue(name, out int a), map.TryGetValue(name, out int b));
                Assert.Equal(a, b);
                Assert.Equal(reference.Keys.ToList().IndexOf(name), map.IndexOf(name));
            }
        }
    }

    [Fact]
    public void Indexer_names_a_missing_key_and_copy_keeps_order()
    {
        var map = new NamedValues<double>();
        map.Set("l", 1);
        map.Set("w", 2);
        map.Set("l", 3);
        Assert.Equal(3, map["l"]);
        Assert.Contains("'m'", Assert.Throws<KeyNotFoundException>(() => map["m"]).Message, StringComparison.Ordinal);
        Assert.Equal([new KeyValuePair<string, double>("l", 3), new KeyValuePair<string, double>("w", 2)], NamedValues<double>.Copy(map).ToList());
        Assert.Empty(NamedValues<double>.Empty);
    }
}

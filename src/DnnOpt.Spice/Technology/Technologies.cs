using System.Reflection;

namespace DnnOpt.Spice.Technology;

/// <summary>
/// Model libraries shipped inside the simulator. <see cref="Generic180"/> is the project's own generic 0.18 µm,
/// 1.8 V CMOS technology: BSIM3v3.3 cards <c>nch</c> and <c>pch</c> (level 49) in section <c>tt</c>, written for
/// DnnOpt.Managed with values in the range of published 180 nm processes (tox 4.1 nm, long-channel |Vth| ≈ 0.4 V);
/// not a foundry model. Valid for drawn L 0.18-20 µm, W 0.22-500 µm, -40..125 °C.
/// </summary>
public static class Technologies
{
    /// <summary>File name of the generic 0.18 µm library (use it as <c>.lib generic180.lib tt</c>).</summary>
    public const string Generic180FileName = "generic180.lib";

    /// <summary>The text of the generic 0.18 µm library (a <c>.lib tt</c> … <c>.endl tt</c> section).</summary>
    public static string Generic180 { get; } = Load(Generic180FileName);

    /// <summary>
    /// Writes the generic 0.18 µm library into <paramref name="directory"/> (unless an identical copy is there) and
    /// returns its full path, so decks can say <c>.lib 'path' tt</c>.
    /// </summary>
    /// <param name="directory">Existing directory to write into.</param>
    /// <returns>The full path of <c>generic180.lib</c>.</returns>
    public static string WriteGeneric180(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string path = Path.GetFullPath(Path.Combine(directory, Generic180FileName));
        if (!File.Exists(path) || File.ReadAllText(path) != Generic180)
        {
            File.WriteAllText(path, Generic180);
        }

        return path;
    }

    private static string Load(string name)
    {
        Assembly a = typeof(Technologies).Assembly;
        using Stream s = a.GetManifestResourceStream("DnnOpt.Spice.Technology." + name)
            ?? throw new InvalidOperationException($"embedded technology file '{name}' is missing from {a.GetName().Name}");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}

namespace DnnOpt.Optimization.Baselines;

/// <summary>Draws from distributions other than uniform, using only the injected <see cref="Random"/>.</summary>
internal static class RandomExtensions
{
    /// <summary>A standard normal deviate (Box-Muller; one uniform pair per deviate, so the draw count is fixed).</summary>
    public static double NextGaussian(this Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: log is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Reflects a coordinate that left [0, 1] back inside (a mirror at each face), then clamps.</summary>
    public static double Reflect(double u)
    {
        if (u < 0)
        {
            u = -u;
        }

        if (u > 1)
        {
            u = 2 - u;
        }

        return Math.Clamp(u, 0.0, 1.0);
    }
}

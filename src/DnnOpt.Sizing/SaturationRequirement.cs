namespace DnnOpt.Sizing;

/// <summary>
/// Keeps named MOSFETs in saturation at the operating point: for each device the metric <c>sat_DEVICE</c> =
/// <c>vds - |vdsat|</c> must be at least <see cref="Margin"/>.
/// </summary>
/// <remarks>
/// The quantities are ngspice's <c>@m[vds]</c> and <c>@m[vdsat]</c>. ngspice (mos1ask.c) reports <c>vds</c> in the
/// device's own polarity (positive in forward operation for NMOS and PMOS alike) but <c>vdsat</c> multiplied by the
/// type (negative for PMOS), so the magnitude of vdsat is used. A device operating in reverse (vds &lt; 0) therefore
/// has a negative margin and violates the requirement, as it should. The constraint is
/// <c>f = margin - sat_DEVICE</c> with scale <see cref="EffectiveScale"/>.
/// </remarks>
/// <param name="Devices">Flattened device names (<c>m1</c>, <c>m.x1.m3</c>).</param>
/// <param name="Margin">Required margin in volts (e.g. 0.05).</param>
/// <param name="Scale">Normalisation scale in volts, or null for the margin itself (0.1 V if the margin is 0).</param>
public sealed record SaturationRequirement(IReadOnlyList<string> Devices, double Margin, double? Scale = null)
{
    /// <summary>The normalisation scale in effect.</summary>
    public double EffectiveScale => Scale ?? (Margin > 0 ? Margin : 0.1);

    /// <summary>Name of the margin metric of a device.</summary>
    /// <param name="device">Device name.</param>
    /// <returns><c>sat_DEVICE</c> with dots replaced by underscores.</returns>
    public static string MetricName(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return "sat_" + device.ToLowerInvariant().Replace('.', '_');
    }
}

namespace DnnOpt.Spice.Benchmarks;

/// <summary>The transient benchmark deck (text shared by the managed engine and ngspice).</summary>
internal static class TransientDecks
{
    /// <summary>
    /// Two-stage Miller OTA in unity-gain feedback with MOS1 Meyer, overlap and junction charges (the corpus deck
    /// tran_miller_ota.cir without its analysis), driven by a 0.6 V → 1.2 V → 0.6 V pulse.
    /// </summary>
    public const string MillerOta = """
        two-stage miller ota unity-gain step
        vdd vdd 0 1.8
        vin in 0 pulse(0.6 1.2 20n 1n 1n 480n 1u)
        ib vdd bias 20u
        m8 bias bias 0 0 nch w=4u l=1u
        m5 tail bias 0 0 nch w=8u l=1u
        m1 x out tail 0 nch w=10u l=1u
        m2 y in tail 0 nch w=10u l=1u
        m3 x x vdd vdd pch w=20u l=1u
        m4 y x vdd vdd pch w=20u l=1u
        m6 out y vdd vdd pch w=80u l=1u
        m7 out bias 0 0 nch w=20u l=1u
        cc y out 1p
        cl out 0 2p
        .model nch nmos level=1 vto=0.45 kp=200u gamma=0.4 phi=0.8 lambda=0.08 tox=4n cgso=3e-10 cgdo=3e-10
        + cj=1e-3 cjsw=3e-10 pb=0.9
        .model pch pmos level=1 vto=-0.45 kp=80u gamma=0.4 phi=0.8 lambda=0.1 tox=4n cgso=3e-10 cgdo=3e-10
        + cj=1e-3 cjsw=3e-10 pb=0.9
        """;

    /// <summary>TSTEP and TSTOP: about a thousand accepted steps.</summary>
    public const double Step = 1e-9;

    /// <summary>TSTOP in seconds.</summary>
    public const double Stop = 1e-6;

    /// <summary>The analysis as ngspice's control language writes it.</summary>
    public const string Analysis = "tran 1n 1u";
}

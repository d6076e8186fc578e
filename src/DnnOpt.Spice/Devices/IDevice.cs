using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Devices;

/// <summary>
/// A circuit element in the MNA engine. Setup is split so that the matrix structure is resolved once per topology:
/// <see cref="AllocateUnknowns"/> (internal nodes, branch currents), then <see cref="AllocateSlots"/>; after that
/// <see cref="Load"/> only adds numbers into the slots it keeps.
/// </summary>
internal interface IDevice
{
    /// <summary>Flattened lower-case instance name (<c>m1</c>, <c>m.x1.m1</c>).</summary>
    string Name { get; }

    /// <summary>Adds the device's internal nodes and branch-current unknowns.</summary>
    void AllocateUnknowns(UnknownTable unknowns);

    /// <summary>Looks up references to other devices (controlling sources) once all unknowns exist.</summary>
    void Bind(IReadOnlyDictionary<string, IDevice> devices)
    {
    }

    /// <summary>Reserves the matrix slots the device writes into.</summary>
    void AllocateSlots(MatrixStructureBuilder matrix);

    /// <summary>
    /// Reserves transient state slots (charges with their currents, history values) in <paramref name="states"/>;
    /// called once per engine, after <see cref="AllocateSlots"/>.
    /// </summary>
    void AllocateStates(StateAllocator states)
    {
    }

    /// <summary>
    /// Takes the values of a new design for the same element (same name, nodes and model statement; new numbers),
    /// keeping the unknowns, matrix slots and states the device holds, and computing what depends on the values as its
    /// constructor does. Returns false when the new values would change those (an internal node that appears or
    /// vanishes, a card of another model level): the circuit is then built afresh. Invalid values throw as the
    /// constructor does. Devices without an in-place update return false.
    /// </summary>
    /// <param name="e">The element with the new values.</param>
    /// <param name="factory">The build's device factory (interpreted model cards).</param>
    /// <returns>True when the device took the values in place.</returns>
    bool TryUpdate(ResolvedElement e, DeviceFactory factory) => false;

    /// <summary>Recomputes temperature-dependent values.</summary>
    /// <param name="temperature">Circuit temperature in kelvin.</param>
    /// <param name="nominal">Default nominal temperature in kelvin (a model's <c>tnom</c> overrides it).</param>
    void Temperature(double temperature, double nominal)
    {
    }

    /// <summary>Adds the linearised companion model at the context's previous solution.</summary>
    void Load(LoadContext context);

    /// <summary>Remembers the Newton state (last junction voltages) so a failed continuation step can return to it.</summary>
    void SaveState()
    {
    }

    /// <summary>Returns to the state remembered by <see cref="SaveState"/>.</summary>
    void RestoreState()
    {
    }

    /// <summary>DC sweep: the first point of a sweep converged; both history slots take the present voltages.</summary>
    void StartHistory()
    {
    }

    /// <summary>DC sweep: a later point converged; the history shifts by one (for <see cref="LoadMode.Predict"/>).</summary>
    void AcceptPoint()
    {
    }

    /// <summary>Device-level convergence test on the new solution (SPICE's current-prediction check).</summary>
    bool IsConverged(LoadContext context, ReadOnlySpan<double> solution) => true;

    /// <summary>Reads an operating-point quantity by its ngspice name (<c>@m1[gm]</c> asks "gm").</summary>
    bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value);

    /// <summary>Names accepted by <see cref="TryGetQuantity"/>.</summary>
    IReadOnlyList<string> QuantityNames { get; }

    /// <summary>Branch-current unknown, or -1 when the device has none.</summary>
    int BranchIndex => -1;
}

using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices;

/// <summary>
/// Checks a model card against what a device implements: implemented and stored parameters are accepted; parameters
/// that exist in ngspice but whose effect is not implemented are errors when given (they would change results);
/// unknown names are warned about once and ignored, as ngspice does with foreign model cards.
/// </summary>
internal static class ModelParameters
{
    public static void Check(ResolvedModel model, IReadOnlySet<string> accepted, IReadOnlySet<string> unsupported, ICollection<string> warnings)
    {
        foreach (string p in model.Parameters.Keys)
        {
            if (accepted.Contains(p))
            {
                continue;
            }

            if (unsupported.Contains(p))
            {
                throw new SpiceParseException(model.Location, $".model {model.Name}: parameter '{p}' is not supported by this {model.Type} model yet");
            }

            string w = $"{model.Location}: .model {model.Name}: unknown parameter '{p}' ignored";
            if (!warnings.Contains(w))
            {
                warnings.Add(w);
            }
        }
    }
}

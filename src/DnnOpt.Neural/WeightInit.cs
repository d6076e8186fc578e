namespace DnnOpt.Neural;

/// <summary>How <see cref="Mlp{T}.Initialize"/> draws the weights of a dense layer (biases start at zero).</summary>
public enum WeightInit
{
    /// <summary>He for ReLU and SiLU layers, Xavier for the others.</summary>
    Auto = 0,

    /// <summary>He et al. (2015): w ~ N(0, 2 / fan_in), for rectifier-like activations.</summary>
    He = 1,

    /// <summary>Glorot and Bengio (2010): w ~ U(±√(6 / (fan_in + fan_out))), for symmetric saturating activations.</summary>
    Xavier = 2,
}

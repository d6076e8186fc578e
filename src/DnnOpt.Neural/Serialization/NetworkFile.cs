using System.Numerics;
using System.Text;
using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Data;

namespace DnnOpt.Neural.Serialization;

/// <summary>A trained network with the standardisers of its inputs and outputs, as saved and loaded together.</summary>
/// <param name="Network">The network.</param>
/// <param name="InputScaler">Standardiser applied to raw inputs before the network, if any.</param>
/// <param name="OutputScaler">Standardiser whose inverse maps network outputs to raw units, if any.</param>
public sealed record SavedNetwork<T>(Mlp<T> Network, Standardizer? InputScaler, Standardizer? OutputScaler)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// Reads and writes networks in the DnnOpt network format, version 1. All integers are 32-bit and all numbers
/// little-endian:
/// <code>
/// magic "DNNOPTNN" (8 ASCII bytes) | version = 1 | element size (4 = float32, 8 = float64) | L (layers)
/// widths n_0 … n_L (L+1 ints) | activation codes (L ints, <see cref="Activation"/> values)
/// P (parameter count) | P parameters of the element size, in <see cref="Mlp{T}.Parameters"/> order
/// flags (bit 0: input standardiser follows, bit 1: output standardiser follows)
/// per standardiser: width | width float64 means | width float64 scales
/// </code>
/// A file saved as float32 loads into a double network and the other way round (by conversion).
/// </summary>
public static class NetworkFile
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("DNNOPTNN");

    /// <summary>Writes <paramref name="network"/> and optional standardisers to <paramref name="stream"/>.</summary>
    public static void Save<T>(Stream stream, Mlp<T> network, Standardizer? inputScaler = null, Standardizer? outputScaler = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);
        if (inputScaler is not null && inputScaler.Width != network.InputSize)
        {
            throw new ArgumentException($"The input standardiser has width {inputScaler.Width}; the network takes {network.InputSize}.", nameof(inputScaler));
        }

        if (outputScaler is not null && outputScaler.Width != network.OutputSize)
        {
            throw new ArgumentException($"The output standardiser has width {outputScaler.Width}; the network gives {network.OutputSize}.", nameof(outputScaler));
        }

        int elementSize = typeof(T) == typeof(float) ? 4 : 8;
        using var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(elementSize);
        writer.Write(network.LayerCount);
        foreach (int width in network.LayerSizes)
        {
            writer.Write(width);
        }

        foreach (Activation activation in network.Activations)
        {
            writer.Write((int)activation);
        }

        writer.Write(network.ParameterCount);
        foreach (T p in network.Parameters)
        {
            if (elementSize == 4)
            {
                writer.Write(float.CreateChecked(p));
            }
            else
            {
                writer.Write(double.CreateChecked(p));
            }
        }

        writer.Write((inputScaler is null ? 0 : 1) | (outputScaler is null ? 0 : 2));
        WriteScaler(writer, inputScaler);
        WriteScaler(writer, outputScaler);
    }

    /// <summary>Saves to a file path (created or overwritten).</summary>
    public static void Save<T>(string path, Mlp<T> network, Standardizer? inputScaler = null, Standardizer? outputScaler = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using FileStream stream = File.Create(path);
        Save(stream, network, inputScaler, outputScaler);
    }

    /// <summary>Reads a network saved by <see cref="Save{T}(Stream, Mlp{T}, Standardizer?, Standardizer?)"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is not a DnnOpt network, is of a newer version, or is truncated or inconsistent.</exception>
    public static SavedNetwork<T> Load<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.ASCII, leaveOpen: true);
        try
        {
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("Not a DnnOpt network file (bad magic).");
            }

            int version = reader.ReadInt32();
            if (version < 1 || version > FormatVersion)
            {
                throw new InvalidDataException($"Network format version {version} is not supported (this build reads 1 … {FormatVersion}).");
            }

            int elementSize = reader.ReadInt32();
            if (elementSize is not (4 or 8))
            {
                throw new InvalidDataException($"Unknown element size {elementSize}.");
            }

            int layers = reader.ReadInt32();
            if (layers is < 1 or > 1024)
            {
                throw new InvalidDataException($"Implausible layer count {layers}.");
            }

            var widths = new int[layers + 1];
            for (int i = 0; i < widths.Length; i++)
            {
                widths[i] = reader.ReadInt32();
            }

            var activations = new Activation[layers];
            for (int i = 0; i < layers; i++)
            {
                activations[i] = (Activation)reader.ReadInt32();
            }

            Mlp<T> network;
            try
            {
                network = new Mlp<T>(widths, activations);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"Inconsistent network header: {e.Message}", e);
            }

            int count = reader.ReadInt32();
            if (count != network.ParameterCount)
            {
                throw new InvalidDataException($"The header implies {network.ParameterCount} parameters; the file says {count}.");
            }

            Span<T> parameters = network.Parameters;
            for (int i = 0; i < count; i++)
            {
                parameters[i] = elementSize == 4 ? T.CreateChecked(reader.ReadSingle()) : T.CreateChecked(reader.ReadDouble());
            }

            int flags = reader.ReadInt32();
            Standardizer? input = (flags & 1) != 0 ? ReadScaler(reader, network.InputSize) : null;
            Standardizer? output = (flags & 2) != 0 ? ReadScaler(reader, network.OutputSize) : null;
            return new SavedNetwork<T>(network, input, output);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The network file is truncated.", e);
        }
    }

    /// <summary>Loads from a file path.</summary>
    public static SavedNetwork<T> Load<T>(string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using FileStream stream = File.OpenRead(path);
        try
        {
            return Load<T>(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static void WriteScaler(BinaryWriter writer, Standardizer? scaler)
    {
        if (scaler is null)
        {
            return;
        }

        writer.Write(scaler.Width);
        foreach (double m in scaler.Mean)
        {
            writer.Write(m);
        }

        foreach (double s in scaler.Scale)
        {
            writer.Write(s);
        }
    }

    private static Standardizer ReadScaler(BinaryReader reader, int expectedWidth)
    {
        int width = reader.ReadInt32();
        if (width != expectedWidth)
        {
            throw new InvalidDataException($"A standardiser has width {width}; the network side it belongs to has {expectedWidth}.");
        }

        var mean = new double[width];
        var scale = new double[width];
        for (int i = 0; i < width; i++)
        {
            mean[i] = reader.ReadDouble();
        }

        for (int i = 0; i < width; i++)
        {
            scale[i] = reader.ReadDouble();
        }

        try
        {
            return new Standardizer(mean, scale);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Invalid standardiser: {e.Message}", e);
        }
    }
}

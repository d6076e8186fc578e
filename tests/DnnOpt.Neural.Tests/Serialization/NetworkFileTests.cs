using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Data;
using DnnOpt.Neural.Serialization;

namespace DnnOpt.Neural.Tests.Serialization;

public sealed class NetworkFileTests
{
    private static Mlp<float> Network() => Mlp.Create<float>([5, 9, 4, 2], Activation.Silu, Activation.Sigmoid, new Random(12));

    [Fact]
    public void Round_trip_preserves_shape_parameters_outputs_and_scalers()
    {
        Mlp<float> net = Network();
        var input = new Standardizer([1, 2, 3, 4, 5], [0.5, 1, 2, 3, 4]);
        var output = new Standardizer([-1, 7], [2, 9]);
        using var stream = new MemoryStream();
        NetworkFile.Save(stream, net, input, output);
        stream.Position = 0;
        SavedNetwork<float> loaded = NetworkFile.Load<float>(stream);
        Assert.True(net.HasSameShape(loaded.Network));
        Assert.True(net.Parameters.SequenceEqual(loaded.Network.Parameters));
        Assert.Equal(input.Mean.ToArray(), loaded.InputScaler!.Mean.ToArray());
        Assert.Equal(output.Scale.ToArray(), loaded.OutputScaler!.Scale.ToArray());

        float[] x = Enumerable.Range(0, 15).Select(i => (float)Math.Sin(i)).ToArray();
        float[] a = net.Forward(new MlpWorkspace<float>(net, 3), x, 3).ToArray();
        float[] b = loaded.Network.Forward(new MlpWorkspace<float>(loaded.Network, 3), x, 3).ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Float_file_loads_into_a_double_network()
    {
        Mlp<float> net = Network();
        using var stream = new MemoryStream();
        NetworkFile.Save(stream, net);
        stream.Position = 0;
        SavedNetwork<double> loaded = NetworkFile.Load<double>(stream);
        Assert.Null(loaded.InputScaler);
        Assert.Equal(net.Parameters.ToArray().Select(p => (double)p), loaded.Network.Parameters.ToArray());
    }

    [Fact]
    public void Corrupt_files_give_clear_errors()
    {
        using var stream = new MemoryStream();
        NetworkFile.Save(stream, Network());
        byte[] bytes = stream.ToArray();
        InvalidDataException truncated = Assert.Throws<InvalidDataException>(() => NetworkFile.Load<float>(new MemoryStream(bytes[..(bytes.Length - 9)])));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        byte[] badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => NetworkFile.Load<float>(new MemoryStream(badMagic))).Message, StringComparison.Ordinal);
        byte[] future = (byte[])bytes.Clone();
        future[8] = 99;
        Assert.Contains("version 99", Assert.Throws<InvalidDataException>(() => NetworkFile.Load<float>(new MemoryStream(future))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_with_a_mismatched_scaler_throws()
    {
        Assert.Throws<ArgumentException>(() => NetworkFile.Save(new MemoryStream(), Network(), new Standardizer([1.0], [1.0])));
    }
}

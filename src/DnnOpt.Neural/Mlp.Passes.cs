using System.Numerics.Tensors;
using DnnOpt.Neural.Activations;
using DnnOpt.Neural.Kernels;

namespace DnnOpt.Neural;

public sealed partial class Mlp<T>
{
    /// <summary>
    /// Evaluates the network on <paramref name="batch"/> input rows and returns the output rows (a view into
    /// <paramref name="workspace"/>, valid until its next pass).
    /// </summary>
    /// <param name="workspace">Buffers for this network's shape; keeps the activations for <see cref="Backward"/>.</param>
    /// <param name="inputs">batch × n_0 values, row-major.</param>
    /// <param name="batch">Number of rows, 1 … workspace.MaxBatch.</param>
    /// <exception cref="ArgumentException">Shapes or lengths do not match.</exception>
    public ReadOnlySpan<T> Forward(MlpWorkspace<T> workspace, ReadOnlySpan<T> inputs, int batch)
    {
        ValidateWorkspace(workspace, batch);
        if (inputs.Length != batch * InputSize)
        {
            throw new ArgumentException(
                $"Expected {batch} rows of {InputSize} inputs ({batch * InputSize} values), got {inputs.Length}.", nameof(inputs));
        }

        workspace.Batch = batch;
        inputs.CopyTo(workspace.ActivationsOut[0]);
        for (int l = 0; l < LayerCount; l++)
        {
            int nIn = _sizes[l];
            int nOut = _sizes[l + 1];
            Span<T> z = workspace.PreActivations[l].AsSpan(0, batch * nOut);
            ReadOnlySpan<T> bias = Biases(l);
            for (int r = 0; r < batch; r++)
            {
                bias.CopyTo(z.Slice(r * nOut, nOut));
            }

            ReadOnlySpan<T> aIn = workspace.ActivationsOut[l].AsSpan(0, batch * nIn);
            ParallelGemm.Multiply<T>(aIn, Weights(l), z, batch, nIn, nOut, accumulate: true);
            ActivationDispatch.Forward<T>(_activations[l], z, workspace.ActivationsOut[l + 1].AsSpan(0, batch * nOut));
        }

        return workspace.Output;
    }

    /// <summary>
    /// Evaluates the network on <paramref name="batch"/> rows and copies the outputs to <paramref name="outputs"/>.
    /// </summary>
    public void Forward(MlpWorkspace<T> workspace, ReadOnlySpan<T> inputs, int batch, Span<T> outputs)
    {
        if (outputs.Length != batch * OutputSize)
        {
            throw new ArgumentException(
                $"Expected room for {batch} rows of {OutputSize} outputs ({batch * OutputSize} values), got {outputs.Length}.",
                nameof(outputs));
        }

        Forward(workspace, inputs, batch).CopyTo(outputs);
    }

    /// <summary>
    /// Back-propagates ∂L/∂outputs of the last forward pass in <paramref name="workspace"/> to the parameters and,
    /// optionally, to the inputs. L is any scalar function of the batch outputs, so this serves both supervised losses
    /// and training another network through this one (pass an empty <paramref name="parameterGradient"/> to treat this
    /// network as frozen).
    /// </summary>
    /// <param name="workspace">The workspace of the forward pass being differentiated.</param>
    /// <param name="outputGradient">∂L/∂y, Batch × n_L.</param>
    /// <param name="parameterGradient">Receives ∂L/∂θ (overwritten), ParameterCount long; empty to skip.</param>
    /// <param name="inputGradient">Receives ∂L/∂x (overwritten), Batch × n_0; empty to skip.</param>
    /// <exception cref="ArgumentException">Shapes or lengths do not match, or no forward pass was run.</exception>
    public void Backward(MlpWorkspace<T> workspace, ReadOnlySpan<T> outputGradient, Span<T> parameterGradient, Span<T> inputGradient)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!workspace.Fits(this))
        {
            throw new ArgumentException("The workspace was created for a network of another shape.", nameof(workspace));
        }

        int batch = workspace.Batch;
        if (batch == 0)
        {
            throw new ArgumentException("Backward needs a forward pass in the same workspace first.", nameof(workspace));
        }

        if (outputGradient.Length != batch * OutputSize)
        {
            throw new ArgumentException(
                $"Expected {batch} rows of {OutputSize} output gradients, got {outputGradient.Length} values.", nameof(outputGradient));
        }

        if (!parameterGradient.IsEmpty && parameterGradient.Length != ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {ParameterCount} parameter gradients, got {parameterGradient.Length}.", nameof(parameterGradient));
        }

        if (!inputGradient.IsEmpty && inputGradient.Length != batch * InputSize)
        {
            throw new ArgumentException(
                $"Expected {batch} rows of {InputSize} input gradients, got {inputGradient.Length} values.", nameof(inputGradient));
        }

        T[] current = workspace.GradientA;
        T[] next = workspace.GradientB;
        outputGradient.CopyTo(current);
        T[] scratch = workspace.Scratch;
        for (int l = LayerCount - 1; l >= 0; l--)
        {
            int nIn = _sizes[l];
            int nOut = _sizes[l + 1];
            Span<T> dz = current.AsSpan(0, batch * nOut);
            ActivationDispatch.Backward<T>(
                _activations[l],
                workspace.PreActivations[l].AsSpan(0, batch * nOut),
                workspace.ActivationsOut[l + 1].AsSpan(0, batch * nOut),
                dz,
                dz);

            if (!parameterGradient.IsEmpty)
            {
                // dW = Aᵀ·dZ, reading the layer input transposed in place.
                ParallelGemm.MultiplyTransposedA<T>(
                    workspace.ActivationsOut[l].AsSpan(0, batch * nIn), dz, parameterGradient.Slice(_weightOffsets[l], nIn * nOut),
                    nIn, batch, nOut, accumulate: false);
                Span<T> db = parameterGradient.Slice(_biasOffsets[l], nOut);
                dz[..nOut].CopyTo(db);
                for (int r = 1; r < batch; r++)
                {
                    TensorPrimitives.Add(db, dz.Slice(r * nOut, nOut), db);
                }
            }

            bool wantInput = l > 0 || !inputGradient.IsEmpty;
            if (wantInput)
            {
                // dA_prev = dZ·Wᵀ.
                Span<T> wT = scratch.AsSpan(0, nIn * nOut);
                Gemm.Transpose<T>(Weights(l), wT, nIn, nOut);
                Span<T> destination = l > 0 ? next.AsSpan(0, batch * nIn) : inputGradient;
                ParallelGemm.Multiply<T>(dz, wT, destination, batch, nOut, nIn, accumulate: false);
                (current, next) = (next, current);
            }
        }
    }

    private void ValidateWorkspace(MlpWorkspace<T> workspace, int batch)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!workspace.Fits(this))
        {
            throw new ArgumentException("The workspace was created for a network of another shape.", nameof(workspace));
        }

        if (batch <= 0 || batch > workspace.MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must be 1 … {workspace.MaxBatch}.");
        }
    }
}

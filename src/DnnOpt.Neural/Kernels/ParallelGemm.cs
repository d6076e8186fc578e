using System.Numerics;
using System.Runtime.CompilerServices;

namespace DnnOpt.Neural.Kernels;

/// <summary>
/// Splits the rows of a <see cref="Gemm"/> product between the calling thread and one persistent helper thread when
/// the product is large enough to repay the hand-off (measured: see the README's neural-engine section). Each row of C
/// is still computed by exactly one thread with the same kernel, so results are bit-identical to the serial path.
/// Nothing is allocated per call: the helper thread, its events and one job object per element type live for the
/// process.
/// </summary>
internal static unsafe class ParallelGemm
{
    /// <summary>Products with fewer multiply-adds than this run serially (hand-off costs a few microseconds).</summary>
    internal const long Threshold = 256 * 1024;

    private static readonly object Gate = new();
    private static readonly ManualResetEventSlim Start = new(false, 2000);
    private static readonly ManualResetEventSlim Done = new(false, 2000);
#pragma warning disable CA1859 // The field holds the job of whichever element type is running (one class per T).
    private static IRowJob? _pending;
#pragma warning restore CA1859
    private static Thread? _worker;

    private interface IRowJob
    {
        void RunSecondHalf();
    }

    /// <summary><c>C (+)= A·B</c> as <see cref="Gemm.Multiply{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, int, int, int, bool, int, int)"/>.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, k, 1, b, c, m, k, n, accumulate);

    /// <summary><c>C (+)= Aᵀ·B</c> as <see cref="Gemm.MultiplyTransposedA{T}"/>.</summary>
    public static void MultiplyTransposedA<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Run(a, 1, m, b, c, m, k, n, accumulate);

    private static void Run<T>(ReadOnlySpan<T> a, int rs, int cs, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool parallel = NeuralParallelism.MaxDegreeOfParallelism > 1 && m >= 8 && ((long)m * k * n) >= Threshold;
        if (!parallel || !Monitor.TryEnter(Gate))
        {
            // Serial, also when another thread holds the helper (several networks trained at once).
            Gemm.Multiply(a, rs, cs, b, c, m, k, n, accumulate, 0, m);
            return;
        }

        try
        {
            EnsureWorker();
            int split = m / 2;
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
            {
                RowJob<T> job = RowJob<T>.Instance;
                job.Set(pa, a.Length, rs, cs, pb, b.Length, pc, c.Length, m, k, n, accumulate, split);
                _pending = job;
                Done.Reset();
                Start.Set();
                Gemm.Multiply(a, rs, cs, b, c, m, k, n, accumulate, 0, split);
                Done.Wait();
                _pending = null;
            }
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureWorker()
    {
        if (_worker is not null)
        {
            return;
        }

        _worker = new Thread(WorkerLoop) { IsBackground = true, Name = "DnnOpt.Neural GEMM helper" };
        _worker.Start();
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            Start.Wait();
            Start.Reset();
            _pending?.RunSecondHalf();
            Done.Set();
        }
    }

    private sealed class RowJob<T> : IRowJob
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly RowJob<T> Instance = new();

        private T* _a;
        private T* _b;
        private T* _c;
        private int _aLength, _bLength, _cLength, _rs, _cs, _m, _k, _n, _split;
        private bool _accumulate;

        public void Set(T* a, int aLength, int rs, int cs, T* b, int bLength, T* c, int cLength, int m, int k, int n, bool accumulate, int split)
        {
            _a = a;
            _b = b;
            _c = c;
            _aLength = aLength;
            _bLength = bLength;
            _cLength = cLength;
            _rs = rs;
            _cs = cs;
            _m = m;
            _k = k;
            _n = n;
            _accumulate = accumulate;
            _split = split;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public void RunSecondHalf() => Gemm.Multiply(
            new ReadOnlySpan<T>(_a, _aLength), _rs, _cs, new ReadOnlySpan<T>(_b, _bLength), new Span<T>(_c, _cLength),
            _m, _k, _n, _accumulate, _split, _m);
    }
}

using System.Globalization;
using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.ActorCritic;

/// <summary>Diagnostics of the last DNN-Opt modeling iteration.</summary>
/// <param name="Samples">Designs the critic was trained on (N: the successes, plus the failed proposals it imputes).</param>
/// <param name="CriticLoss">Mean critic loss (standardised MSE) over the last tenth of its steps.</param>
/// <param name="ActorLoss">Actor loss (eq. 5) at its last step.</param>
/// <param name="PredictedFom">Critic-predicted g of the first selected candidate (eq. 8).</param>
public readonly record struct DnnOptIteration(int Samples, double CriticLoss, double ActorLoss, double PredictedFom);

/// <summary>
/// DNN-Opt (Budak et al., DAC 2021, Algorithm 1): an actor-critic optimiser in which the critic is a surrogate of the
/// simulator trained on pseudo-samples (eq. 2, 3) and the actor proposes design changes that minimise the figure of
/// merit (eq. 4) predicted by the critic, restricted to the box of the elite designs (eq. 5, 6). Every elite design
/// yields a candidate x + μ(x) + N (or several, each with its own noise: <see cref="DnnOptOptions.CandidatesPerElite"/>);
/// the one with the best predicted g is simulated (eq. 8). With a batch size k &gt; 1 the k best distinct candidates
/// are proposed, at most one per elite until every elite has given one.
/// </summary>
/// <remarks>
/// Everything the critic and actor learn is in unit-cube coordinates and normalised outputs (ci·fi from the
/// run's <see cref="FigureOfMerit"/>), so the hyperparameters carry across problems. Failed evaluations never become
/// elites; of them, the critic learns from the failed proposals only (<see cref="DnnOptOptions.ImputeFailures"/>).
/// All randomness, network initialisation included, comes from the run's seeded <see cref="Random"/>, so a seed
/// reproduces a run bit for bit.
/// </remarks>
public sealed class DnnOptimizer : ISeedableOptimizer
{
    private readonly DnnOptOptions _options;
    private readonly List<double[]> _unit = [];
    private readonly List<double[]?> _normalised = [];
    private readonly List<double> _objective = [];
    private readonly List<bool> _feasible = [];
    private readonly List<bool> _proposed = [];
    private readonly Queue<bool> _pending = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private OptimizationContext? _context;
    private double[][] _initial = [];
    private int _initialAsked;
    private CriticModel? _critic;
    private ActorModel? _actor;
    private Incumbent _reference;
    private Incumbent _best;
    private int _stalled;

    // Whether this iteration's g withholds objective credit from infeasible designs (set per Propose; see
    // DnnOptOptions.InfeasibleObjectiveCredit).
    private bool _creditOnlyWhenMet;

    /// <summary>Creates a DNN-Opt optimiser.</summary>
    public DnnOptimizer(DnnOptOptions? options = null)
    {
        _options = options ?? new DnnOptOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "DNN-Opt";

    /// <summary>Diagnostics of the last modeling iteration (null before the first).</summary>
    public DnnOptIteration? LastIteration { get; private set; }

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _unit.Clear();
        _normalised.Clear();
        _objective.Clear();
        _feasible.Clear();
        _proposed.Clear();
        _pending.Clear();
        _seen.Clear();
        int nInit = Math.Min(_options.ResolveInitialSamples(context.Dimension), context.Budget);
        _initial = LatinHypercube.Sample(nInit, context.Dimension, context.Random);
        _initialAsked = 0;
        _critic = null;
        _actor = null;
        _reference = Incumbent.None;
        _best = Incumbent.None;
        _stalled = 0;
        LastIteration = null;
    }

    /// <summary>Proposals in a row without a significant improvement of the incumbent (drives the exploration noise).</summary>
    public int StalledProposals => _stalled;

    /// <summary>The standard deviation of the exploration noise the next proposals get.</summary>
    public double CurrentExplorationNoise =>
        _best.Feasible && !_options.WidenAfterFeasible ? _options.ExplorationNoise : _options.NoiseAfterStall(_stalled);

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        OptimizationContext context = _context ?? throw new InvalidOperationException("Start must be called before Ask.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_initialAsked < _initial.Length)
        {
            int count = Math.Min(maxCount, _initial.Length - _initialAsked);
            var batch = new double[count][];
            for (int i = 0; i < count; i++)
            {
                batch[i] = (double[])_initial[_initialAsked++].Clone();
            }

            Expect(batch.Length, proposed: false);
            return batch;
        }

        int successes = _normalised.Count(y => y is not null);
        if (successes < 2)
        {
            // Nothing to learn from yet (every design failed): keep sampling the space.
            Expect(maxCount, proposed: false);
            return LatinHypercube.Sample(maxCount, context.Dimension, context.Random);
        }

        List<double[]> proposals = Propose(context, maxCount);
        Expect(proposals.Count, proposed: true);
        return proposals;
    }

    /// <summary>
    /// Adds designs simulated before the search (e.g. a nominal design and its sensitivity perturbations) to the
    /// training set and to the elite candidates, and shortens the initial Latin-hypercube sample by as many designs
    /// (keeping at least <see cref="MinimumInitialAfterSeed"/> of it): a seeded run starts its proposals from the best
    /// known design instead of spending N_init simulations on a space-filling sample that ignores it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called before <see cref="Start"/> or after the first <see cref="Ask"/>.</exception>
    public void Seed(IReadOnlyList<Observation> prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        OptimizationContext context = _context ?? throw new InvalidOperationException("Start must be called before Seed.");
        if (_initialAsked > 0 || _unit.Count > 0)
        {
            throw new InvalidOperationException("Seed must be called before the first Ask.");
        }

        foreach (Observation o in prior)
        {
            if (o.Unit.Length != context.Dimension)
            {
                throw new ArgumentException($"A seed design has {o.Unit.Length} coordinates; the space has {context.Dimension}.", nameof(prior));
            }
        }

        Tell(prior);
        int keep = Math.Min(_initial.Length, Math.Max(MinimumInitialAfterSeed, _initial.Length - prior.Count));
        _initial = _initial[..keep];
    }

    /// <summary>Initial Latin-hypercube designs a seeded run still makes (some global coverage beside the seeds).</summary>
    public const int MinimumInitialAfterSeed = 4;

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
        OptimizationContext context = _context ?? throw new InvalidOperationException("Start must be called before Tell.");
        ArgumentNullException.ThrowIfNull(observations);
        FigureOfMerit fom = context.Fom;
        foreach (Observation o in observations)
        {
            _unit.Add(o.Unit.ToArray());
            _seen.Add(Key(o.Physical));
            _feasible.Add(o.IsFeasible);

            // Told in the order asked; seeds (told before any Ask) are not proposals.
            bool proposed = _pending.Count > 0 && _pending.Dequeue();
            _proposed.Add(proposed);
            if (o.IsFailure)
            {
                _normalised.Add(null);
                _objective.Add(double.NaN);
                TrackStall(Incumbent.None, proposed);
                continue;
            }

            // Constraints normalised as the run's FoM does (ci·fi); y0 is filled in per iteration (see ObjectiveTerm).
            var y = new double[context.ConstraintCount + 1];
            for (int i = 0; i < context.ConstraintCount; i++)
            {
                y[i + 1] = fom.ConstraintCoefficients[i] * o.Evaluation.Constraints[i];
            }

            _normalised.Add(y);
            _objective.Add(o.Evaluation.Objective);
            TrackStall(Incumbent.Of(o.IsFeasible, o.Evaluation.Objective, y, _options.ViolationTail), proposed);
        }
    }

    /// <summary>
    /// Updates the incumbent and the stall count: a proposal that does not beat the incumbent recorded at the last
    /// significant improvement by <see cref="DnnOptOptions.SignificantImprovement"/> counts as stalled. Designs that
    /// were not proposals (initial sample, seeds) update the incumbent but never count.
    /// </summary>
    private void TrackStall(Incumbent design, bool proposed)
    {
        if (design.IsBetterThan(_best, 0, 0))
        {
            _best = design;
        }

        double objectiveScale = 1.0 / _context!.Fom.ObjectiveCoefficient;
        if (_best.IsBetterThan(_reference, _options.SignificantImprovement, objectiveScale))
        {
            _reference = _best;
            _stalled = 0;
        }
        else if (proposed)
        {
            _stalled++;
        }
    }
    /// <summary>
    /// The objective term y0 of DNN-Opt's figure of merit for the current history. Until a feasible design exists it
    /// is 0: g is then the clipped constraint violation alone and the search is for feasibility (the paper's
    /// "simulations to first feasible"). Afterwards y0 = w0·(f0 − f0*)/max(|f0*|, s0), the objective's change relative
    /// to the best feasible value f0* (s0 = the objective's scale guards f0* ≈ 0), so a design 10 % better than the
    /// best feasible one earns −0.1·w0 whatever the objective's unit or magnitude.
    /// </summary>
    private (double Reference, double Scale, bool Active) ObjectiveTerm(OptimizationContext context)
    {
        double best = double.PositiveInfinity;
        for (int i = 0; i < _objective.Count; i++)
        {
            if (_feasible[i] && _objective[i] < best)
            {
                best = _objective[i];
            }
        }

        if (double.IsPositiveInfinity(best) || _options.ObjectiveWeight == 0)
        {
            return (0, 1, false);
        }

        double scale = Math.Max(Math.Abs(best), 1.0 / context.Fom.ObjectiveCoefficient);
        return (best, scale / _options.ObjectiveWeight, true);
    }

    private List<double[]> Propose(OptimizationContext context, int count)
    {
        int d = context.Dimension;
        int w = context.ConstraintCount + 1;
        Random random = context.Random;

        // Training set: every successful design (Algorithm 1 trains on the total population), and with
        // ImputeFailures every failed proposal too, at the worst value each output took among the successes.
        var rows = new List<int>();
        for (int i = 0; i < _unit.Count; i++)
        {
            if (_normalised[i] is not null || (_options.ImputeFailures && _proposed[i]))
            {
                rows.Add(i);
            }
        }

        int n = rows.Count;
        float[] x = new float[n * d];
        float[] y = new float[n * w];
        double[] designs = new double[n * d];
        double[] fom = new double[n];
        double[] worst = new double[w];
        Array.Fill(worst, double.NegativeInfinity);
        (double reference, double scale, bool active) = ObjectiveTerm(context);
        _creditOnlyWhenMet = active && !_options.InfeasibleObjectiveCredit;
        for (int r = 0; r < n; r++)
        {
            int i = rows[r];
            for (int k = 0; k < d; k++)
            {
                x[(r * d) + k] = (float)_unit[i][k];
                designs[(r * d) + k] = _unit[i][k];
            }

            if (_normalised[i] is not { } yi)
            {
                fom[r] = double.PositiveInfinity;
                continue;
            }

            double y0 = active ? (_objective[i] - reference) / scale : 0;
            double g = y0;
            double violation = 0;
            y[r * w] = (float)y0;
            worst[0] = Math.Max(worst[0], y0);
            for (int l = 1; l < w; l++)
            {
                y[(r * w) + l] = (float)yi[l];
                worst[l] = Math.Max(worst[l], yi[l]);
                double h = FomGradient.Shape(yi[l], _options.ViolationTail, out _);
                g += h;
                violation += h;
            }

            fom[r] = FomGradient.WithoutCredit(_creditOnlyWhenMet, y0, violation) ? violation : g;
        }

        for (int r = 0; r < n; r++)
        {
            if (double.IsPositiveInfinity(fom[r]))
            {
                for (int l = 0; l < w; l++)
                {
                    y[(r * w) + l] = (float)worst[l];
                }
            }
        }

        EliteSet elites = EliteSet.Select(designs, fom, d, _options.EliteSize);
        int e = elites.Members.Length;

        if (_critic is null || _actor is null)
        {
            int candidates = _options.EliteSize * Math.Max(_options.CandidatesPerElite, _options.CandidatesPerEliteBeforeFeasible);
            _critic = new CriticModel(d, w, _options, Math.Max(_options.CriticBatch, candidates), random);
            _actor = new ActorModel(d, _options, _options.EliteSize, random);
        }
        else if (!_options.WarmStart)
        {
            _critic.Reinitialize(random);
            _actor.Reinitialize(random);
        }

        double criticLoss = _critic.Train(x, y, n, random);
        float[] eliteRows = new float[e * d];
        for (int r = 0; r < e; r++)
        {
            x.AsSpan(elites.Members[r] * d, d).CopyTo(eliteRows.AsSpan(r * d, d));
        }

        EliteSet box = elites.Expanded(_best.Feasible ? _options.EliteBoxExpansion : _options.EliteBoxExpansionBeforeFeasible);
        double actorLoss = _actor.Train(eliteRows, e, _critic, box, _creditOnlyWhenMet);
        return SelectCandidates(context, eliteRows, e, count, criticLoss, actorLoss, n);
    }

    /// <summary>Eq. 8 (and its batch extension): candidates from every elite, ranked by the critic's predicted g.</summary>
    private List<double[]> SelectCandidates(
        OptimizationContext context, float[] eliteRows, int e, int count, double criticLoss, double actorLoss, int n)
    {
        int d = context.Dimension;
        int w = context.ConstraintCount + 1;
        Random random = context.Random;
        CriticModel critic = _critic!;
        ActorModel actor = _actor!;
        float[] delta = actor.Network.Forward(actor.Workspace, eliteRows, e).ToArray();
        var chosen = new List<double[]>(count);
        var chosenKeys = new HashSet<string>(StringComparer.Ordinal);
        int perElite = _best.Feasible ? _options.CandidatesPerElite : _options.CandidatesPerEliteBeforeFeasible;
        int rows = e * perElite;
        float[] candidate = new float[rows * d];
        float[] criticInput = new float[rows * 2 * d];
        double[] predicted = new double[rows];
        double firstPredicted = double.NaN;
        double noise = CurrentExplorationNoise;
        const int MaxRounds = 50;
        for (int round = 0; round < MaxRounds && chosen.Count < count; round++)
        {
            for (int r = 0; r < rows; r++)
            {
                // Round robin over the elites: every elite gets a candidate, and the first e are drawn exactly as the
                // paper's one per elite would be at this point, so more candidates only add to what eq. 8 chooses from.
                int elite = r % e;
                for (int k = 0; k < d; k++)
                {
                    int i = (elite * d) + k;
                    double moved = eliteRows[i] + delta[i] + (noise * random.NextGaussian());
                    candidate[(r * d) + k] = (float)Math.Clamp(moved, 0.0, 1.0);
                }

                CriticModel.EncodePair(eliteRows.AsSpan(elite * d, d), candidate.AsSpan(r * d, d), criticInput.AsSpan(r * 2 * d, 2 * d));
            }

            ReadOnlySpan<float> q = critic.Network.Forward(critic.Workspace, criticInput, rows);
            FomGradient.Evaluate(q, rows, critic.Mean, critic.Scale, 1f, _options.ViolationTail, _creditOnlyWhenMet, predicted, []);
            var units = new double[rows][];
            var keys = new string[rows];
            for (int r = 0; r < rows; r++)
            {
                units[r] = new double[d];
                for (int k = 0; k < d; k++)
                {
                    units[r][k] = candidate[(r * d) + k];
                }

                keys[r] = Key(context.Space.ToPhysical(units[r]));
            }

            foreach (int r in CandidateSelection.Select(predicted, keys, _seen, chosenKeys, count - chosen.Count, e))
            {
                if (chosen.Count == 0)
                {
                    firstPredicted = predicted[r];
                }

                chosen.Add(units[r]);
            }

            // Every candidate of this round repeated a design: widen the exploration for the next round.
            if (chosen.Count < count && round > 0)
            {
                noise = Math.Max(noise * 1.5, 1e-3);
            }
        }

        while (chosen.Count < count)
        {
            chosen.Add(LatinHypercube.Sample(1, d, random)[0]);
        }

        LastIteration = new DnnOptIteration(n, criticLoss, actorLoss, firstPredicted);
        return chosen;
    }

    private void Expect(int count, bool proposed)
    {
        for (int i = 0; i < count; i++)
        {
            _pending.Enqueue(proposed);
        }
    }

    private static string Key(ReadOnlySpan<double> physical)
    {
        var parts = new string[physical.Length];
        for (int i = 0; i < physical.Length; i++)
        {
            parts[i] = physical[i].ToString("R", CultureInfo.InvariantCulture);
        }

        return string.Join(';', parts);
    }

    /// <summary>
    /// The best design so far for stall tracking: feasible designs rank by objective and beat every infeasible one;
    /// infeasible ones rank by DNN-Opt's violation Σ h(ci·fi) (eq. 4 with the log tail).
    /// </summary>
    private readonly record struct Incumbent(bool Exists, bool Feasible, double Value)
    {
        public static Incumbent None => default;

        public static Incumbent Of(bool feasible, double objective, ReadOnlySpan<double> normalised, double tail)
        {
            if (feasible)
            {
                return new Incumbent(true, true, objective);
            }

            double violation = 0;
            for (int l = 1; l < normalised.Length; l++)
            {
                violation += FomGradient.Shape(normalised[l], tail, out _);
            }

            return new Incumbent(true, false, violation);
        }

        /// <summary>
        /// Better than <paramref name="other"/> by more than <paramref name="margin"/>, relative to the other's value
        /// (objectives: relative to max(|f0|, <paramref name="objectiveScale"/>)).
        /// </summary>
        public bool IsBetterThan(Incumbent other, double margin, double objectiveScale)
        {
            if (!Exists)
            {
                return false;
            }

            if (!other.Exists || (Feasible && !other.Feasible))
            {
                return true;
            }

            if (Feasible != other.Feasible)
            {
                return false;
            }

            double scale = Feasible ? Math.Max(Math.Abs(other.Value), objectiveScale) : Math.Abs(other.Value);
            return Value < other.Value - (margin * scale);
        }
    }
}

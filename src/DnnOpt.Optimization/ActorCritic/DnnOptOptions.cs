namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// Settings of <see cref="DnnOptimizer"/>. The paper (Budak et al., DAC 2021) leaves these open ("found based on
/// empirical studies"); the defaults here were chosen by measurement with the study harness (perf/DnnOpt.Study), see
/// the README's DNN-Opt section for the evidence.
/// </summary>
public sealed record DnnOptOptions
{
    /// <summary>Initial Latin-hypercube designs N_init; null picks clamp(2d, 10, 40).</summary>
    public int? InitialSamples { get; init; }

    /// <summary>Elite population size N_es (designs with the best FoM); default 10.</summary>
    public int EliteSize { get; init; } = 10;

    /// <summary>Hidden-layer widths of the critic Q(x, Δx) → R^(m+1); default [128, 128].</summary>
    public IReadOnlyList<int> CriticHidden { get; init; } = [128, 128];

    /// <summary>Hidden-layer widths of the actor μ(x) → Δx; default [128, 128].</summary>
    public IReadOnlyList<int> ActorHidden { get; init; } = [128, 128];

    /// <summary>
    /// Critic Adam steps per iteration, each on a minibatch of pseudo-sample pairs (eq. 2, 3); default 100 (with
    /// <see cref="WarmStart"/>, so the critic keeps what earlier iterations taught it).
    /// </summary>
    public int CriticSteps { get; init; } = 100;

    /// <summary>Pseudo-sample pairs per critic minibatch; default 256.</summary>
    public int CriticBatch { get; init; } = 256;

    /// <summary>Actor Adam steps per iteration on the elite designs (eq. 5); default 50.</summary>
    public int ActorSteps { get; init; } = 50;

    /// <summary>Adam learning rate of both networks; default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// Keep the networks between iterations and continue training them (true, default), or re-initialise them every
    /// iteration as Algorithm 1, line 3 does (false; then give it more steps, e.g. 300 critic and 150 actor steps).
    /// Measured on the welded beam, the spring (3 seeds) and the 20×29 synthetic problem (5 seeds): warm start with
    /// 100/50 steps reached feasibility as early or earlier, ended closer to the optimum, and took a third of the
    /// modeling time of re-initialisation with 300/150 steps.
    /// </summary>
    public bool WarmStart { get; init; } = true;

    /// <summary>λ of eq. 5: weight of the elite-box violation penalty ‖λ·viol‖²; default 100 ("very large", as the paper asks).</summary>
    public double PenaltyLambda { get; init; } = 100;

    /// <summary>Standard deviation of the Gaussian exploration noise N added to each candidate, in unit-cube coordinates; default 0.02.</summary>
    public double ExplorationNoise { get; init; } = 0.02;

    /// <summary>
    /// Candidates drawn per elite design for eq. 8 once a feasible design exists, each x + μ(x) + N with its own noise
    /// draw; the critic ranks all of them and the best-predicted is simulated (a batch takes one per elite first). 1 is
    /// the paper (one candidate per elite). Default 8: with 8 instead of 1 after feasibility (and 1 before) the mean
    /// gap to the published optimum went from 41 to 23 % (pressure vessel), 4.8 to 1.7 % (welded beam), 25 to 12.7 %
    /// (spring), 0.118 to 0.023 % (G4) and 4.5 to 3.2 % (synthetic 20×29), G6 unchanged (10 seeds, 200 simulations;
    /// README): fine-tuning next to active constraints gains from letting the critic choose among more nearby moves.
    /// </summary>
    public int CandidatesPerElite { get; init; } = 8;

    /// <summary>
    /// Candidates drawn per elite design for eq. 8 before the first feasible design (see
    /// <see cref="CandidatesPerElite"/>). Default 4: against the paper's 1 (README; 10 seeds), fc-ota was feasible in
    /// 10 of 10 runs at a median of 104 simulations instead of 9 of 10 at 197.5, sa-latch at 82 (max 150) instead of
    /// 86.5 (max 216), the spring at 23.5 instead of 30; G6 later, 30.5 instead of 26. With both defaults (4, then 8)
    /// and the paper's elite box the spring's and G6's gaps were wider than with 1, then 8 (23.3 against 12.7 %, 55.5
    /// against 40.8 %).
    /// </summary>
    public int CandidatesPerEliteBeforeFeasible { get; init; } = 4;

    /// <summary>
    /// Proposals in a row without a significant improvement (see <see cref="SignificantImprovement"/>) after which the
    /// exploration noise doubles, and doubles again after as many more, up to <see cref="MaxExplorationNoise"/>; a
    /// significant improvement restores <see cref="ExplorationNoise"/>. 0 keeps the noise fixed (the paper). Default 10.
    /// Once the elites have gathered in one basin their box (eq. 6) is small and the actor's moves with it: the wider
    /// noise lets eq. 8 pick, among candidates further out, one the critic predicts better. Applies until the first
    /// feasible design unless <see cref="WidenAfterFeasible"/>.
    /// </summary>
    public int StallProposals { get; init; } = 10;

    /// <summary>
    /// Keep widening the noise on stalls after the first feasible design too; default false. Measured (README): on
    /// fc-ota and sa-latch the widened noise cost the feasible designs' power (fine-tuning near active constraints
    /// needs small steps) without leading out of the basin the run was in.
    /// </summary>
    public bool WidenAfterFeasible { get; init; }

    /// <summary>
    /// Upper limit of the widened exploration noise (unit-cube standard deviation); default 0.16 (8x the default
    /// noise). Never below <see cref="ExplorationNoise"/>.
    /// </summary>
    public double MaxExplorationNoise { get; init; } = 0.16;

    /// <summary>
    /// Relative improvement of the incumbent that counts against stalling: before the first feasible design, of the
    /// violation Σ h(ci·fi); afterwards, of the best feasible objective (relative to max(|f0*|, the objective's scale)).
    /// Default 0.01 (1 %), so a run creeping by fractions of a percent per design still widens its search.
    /// </summary>
    public double SignificantImprovement { get; init; } = 0.01;

    /// <summary>
    /// w0 of eq. 4 inside DNN-Opt, applied to the objective's change relative to the best feasible value (the
    /// constraints keep the run's normalisation, each clipped to [0, 1]); default 0.5. Until the first feasible design
    /// the objective is left out of g entirely. With w0 = 1, a design that buys a 10 % better objective with a spec
    /// missed by 10 % of its scale ties with the best feasible one, and the actor settles on such trade-offs; a smaller
    /// w0 keeps constraint violations dominant.
    /// </summary>
    public double ObjectiveWeight { get; init; } = 0.5;

    /// <summary>
    /// τ: how a constraint missed by more than its scale counts in DNN-Opt's own g (elite ranking, actor loss, eq. 8
    /// selection): 1 + τ·ln(ci·fi) instead of eq. 4's flat 1. 0 is the paper's hard clip. The run's reported FoM
    /// (<see cref="FigureOfMerit"/>) is eq. 4 either way.
    /// </summary>
    public double ViolationTail { get; init; } = 0.1;

    /// <summary>
    /// Train the critic on the failed designs DNN-Opt proposed itself (non-convergence, unmeasurable metrics), each
    /// output imputed at the worst value it took among the successful designs, so the critic learns where its own
    /// proposals fail and the actor steers away from there; default true. Failures of the initial sample stay out
    /// (imputing them all would swamp a critic whose initial sample is mostly failures). Failures never become elites.
    /// Measured on sa-latch seed 4 (500 simulations): without it 495 designs failed (21 of 26 initial ones, then every
    /// proposal around the 5 that worked) and none was feasible; with it, 22 failed and the first feasible came at 160;
    /// imputing the initial failures as well cost fc-ota seed 0 its feasible design (none in 500, against 83 without
    /// imputation and 94 with proposals only).
    /// </summary>
    public bool ImputeFailures { get; init; } = true;

    /// <summary>
    /// Once a feasible design exists, widen the elite box of eq. 6 by this fraction of its width on each side (clipped
    /// to the unit cube) before the actor trains in it; 0 is the paper's box. The box is what the actor may reach in
    /// one step: elites gathered in a small region hold the search to steps of that region's size, which is slow when
    /// the optimum lies several box widths away (a vertex of the space, as on G1). Default 0.5: against 0 (10 seeds,
    /// README) the best design ended better in 9 of 10 sa-latch runs (mean power 28.2 -> 26.7 µW), 8 of 10 fc-ota runs
    /// (0.68 -> 0.60 mW; one worse) and in 10 of 10 on G1 (gap 59 -> 22 %), 9 of 10 on the synthetic 20×29, 8 of 10
    /// on G9 and G10; on the 2-4-variable problems it was even or worse (spring and welded beam better in 3 of 10, G6 equal in 9). The search up to the first feasible
    /// design is unchanged. A coordinate on which all elites agree has a box of width 0 and stays so.
    /// </summary>
    public double EliteBoxExpansion { get; init; } = 0.5;

    /// <summary>
    /// The elite box's widening (see <see cref="EliteBoxExpansion"/>) before the first feasible design; default 0 (the
    /// paper's box). Measured at 0.5 (10 seeds, README): G7 feasible sooner (median 50.5 against 82.5), but G10, G9
    /// and the synthetic 20×29 later (30.5, 24.5, 54 against 24, 22, 49).
    /// </summary>
    public double EliteBoxExpansionBeforeFeasible { get; init; }

    /// <summary>
    /// Whether a design that misses a constraint earns credit for an objective better than the best feasible one
    /// (eq. 4 as written: g = y0 + Σ h(ci·fi), y0 &lt; 0 below the best feasible value). With credit, g ranks a design
    /// that buys a large objective gain with a small miss ahead of the best feasible design whenever the gain outweighs
    /// the miss (eq. 4 is an L1 penalty, exact only when each constraint's weight exceeds its Lagrange multiplier), and
    /// the actor and eq. 8 settle on such infeasible trade-offs. Without it (false) an infeasible design's objective
    /// term is max(y0, 0): it can rank above worse feasible designs but never above the best one, and the actor's step
    /// from a feasible elite stops at the (predicted) constraint boundary. Only matters once a feasible design exists.
    /// Default true: without the credit (10 seeds, README) the best design ended better on the spring (8 of 10; mean
    /// gap 48 -> 7.8 %), G6 (10 of 10; 52 -> 6.5 %), G7, G10 and the pressure vessel, but worse on the synthetic 20×29
    /// (8 of 10), G1 (8 of 10), G9 and both circuits (fc-ota 7 of 10, sa-latch 7 of 10), where elites on both sides
    /// of the boundary lead the search along it.
    /// </summary>
    public bool InfeasibleObjectiveCredit { get; init; } = true;

    /// <summary>Upper limit of <see cref="CandidatesPerElite"/> and <see cref="CandidatesPerEliteBeforeFeasible"/>.</summary>
    public const int MaxCandidatesPerElite = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> for an out-of-range setting.</summary>
    public void Validate()
    {
        if (InitialSamples is < 2)
        {
            throw new ArgumentException($"DNN-Opt needs at least 2 initial samples (got {InitialSamples}).", nameof(InitialSamples));
        }

        if (EliteSize < 1)
        {
            throw new ArgumentException($"Elite size must be at least 1 (got {EliteSize}).", nameof(EliteSize));
        }

        ArgumentNullException.ThrowIfNull(CriticHidden);
        ArgumentNullException.ThrowIfNull(ActorHidden);
        if (CriticHidden.Any(w => w < 1) || ActorHidden.Any(w => w < 1))
        {
            throw new ArgumentException("Hidden widths must be positive.", nameof(CriticHidden));
        }

        if (CriticSteps < 1 || CriticBatch < 1 || ActorSteps < 1)
        {
            throw new ArgumentException("Training steps and batch sizes must be positive.", nameof(CriticSteps));
        }

        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            throw new ArgumentException($"Learning rate must be positive and finite (got {LearningRate}).", nameof(LearningRate));
        }

        if (!(PenaltyLambda >= 0) || !double.IsFinite(PenaltyLambda))
        {
            throw new ArgumentException($"λ must be non-negative and finite (got {PenaltyLambda}).", nameof(PenaltyLambda));
        }

        if (!(ObjectiveWeight >= 0) || !double.IsFinite(ObjectiveWeight))
        {
            throw new ArgumentException($"Objective weight must be non-negative and finite (got {ObjectiveWeight}).", nameof(ObjectiveWeight));
        }

        if (!(ViolationTail >= 0) || !double.IsFinite(ViolationTail))
        {
            throw new ArgumentException($"Violation tail must be non-negative and finite (got {ViolationTail}).", nameof(ViolationTail));
        }

        // Every candidate of a round goes through the critic in one batch, so its workspace is sized for all of them.
        if (CandidatesPerElite is < 1 or > MaxCandidatesPerElite || CandidatesPerEliteBeforeFeasible is < 1 or > MaxCandidatesPerElite
            || (long)EliteSize * Math.Max(CandidatesPerElite, CandidatesPerEliteBeforeFeasible) > int.MaxValue / 1024)
        {
            throw new ArgumentException(
                $"Candidates per elite must be 1-{MaxCandidatesPerElite} with at most {int.MaxValue / 1024} candidates in all (got {CandidatesPerElite}, {CandidatesPerEliteBeforeFeasible} before feasibility, {EliteSize} elites).",
                nameof(CandidatesPerElite));
        }

        if (!(EliteBoxExpansion >= 0) || !double.IsFinite(EliteBoxExpansion)
            || !(EliteBoxExpansionBeforeFeasible >= 0) || !double.IsFinite(EliteBoxExpansionBeforeFeasible))
        {
            throw new ArgumentException(
                $"Elite box expansion must be non-negative and finite (got {EliteBoxExpansion}, {EliteBoxExpansionBeforeFeasible} before feasibility).",
                nameof(EliteBoxExpansion));
        }

        if (StallProposals < 0)
        {
            throw new ArgumentException($"Stall proposals must be non-negative (got {StallProposals}).", nameof(StallProposals));
        }

        if (!(MaxExplorationNoise >= 0) || !double.IsFinite(MaxExplorationNoise))
        {
            throw new ArgumentException($"Maximum exploration noise must be non-negative and finite (got {MaxExplorationNoise}).", nameof(MaxExplorationNoise));
        }

        if (!(SignificantImprovement >= 0) || !double.IsFinite(SignificantImprovement))
        {
            throw new ArgumentException($"Significant improvement must be non-negative and finite (got {SignificantImprovement}).", nameof(SignificantImprovement));
        }

        if (!(ExplorationNoise >= 0) || !double.IsFinite(ExplorationNoise))
        {
            throw new ArgumentException($"Exploration noise must be non-negative and finite (got {ExplorationNoise}).", nameof(ExplorationNoise));
        }
    }

    /// <summary>The exploration noise after <paramref name="stalled"/> proposals without a significant improvement.</summary>
    internal double NoiseAfterStall(int stalled)
    {
        if (StallProposals == 0 || stalled < StallProposals)
        {
            return ExplorationNoise;
        }

        double widened = ExplorationNoise * Math.Pow(2, Math.Min(stalled / StallProposals, 30));
        return Math.Min(widened, Math.Max(MaxExplorationNoise, ExplorationNoise));
    }

    internal int ResolveInitialSamples(int dimension) => InitialSamples ?? Math.Clamp(2 * dimension, 10, 40);
}

namespace DnnOpt.Optimization.Sensitivity;

/// <summary>
/// The sensitivity matrix of paper eq. 7 in normalised form: <c>S[i, j]</c> is the change of output i (i = 0 objective,
/// 1..m constraints), divided by that output's <see cref="MetricInfo.Scale"/>, per unit change of variable j's unit-cube
/// coordinate (a full-range sweep). Outputs of different units are thereby comparable, so one threshold serves them
/// all. A perturbation whose evaluation failed gives NaN in its column, which <see cref="Important"/> keeps
/// (an input that breaks the circuit matters).
/// </summary>
public sealed class SensitivityResult
{
    private readonly double[] _s;

    private readonly int[] _groupOf;

    private SensitivityResult(int outputs, int variables, double[] s, IReadOnlyList<string> outputNames, IReadOnlyList<string> variableNames, Observation nominal, IReadOnlyList<string>? groups)
    {
        Outputs = outputs;
        Variables = variables;
        _s = s;
        OutputNames = outputNames;
        VariableNames = variableNames;
        Nominal = nominal;
        if (groups is not null && groups.Count != variables)
        {
            throw new ArgumentException($"{groups.Count} group names for {variables} variables", nameof(groups));
        }

        // Groups in order of first appearance; a variable without a group name stands alone under its own name.
        IReadOnlyList<string> names = groups ?? variableNames;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        _groupOf = new int[variables];
        var groupNames = new List<string>();
        for (int j = 0; j < variables; j++)
        {
            string g = string.IsNullOrEmpty(names[j]) ? variableNames[j] : names[j];
            if (!index.TryGetValue(g, out int k))
            {
                k = groupNames.Count;
                index.Add(g, k);
                groupNames.Add(g);
            }

            _groupOf[j] = k;
        }

        GroupNames = groupNames;
    }

    /// <summary>Names of the variable groups (<see cref="SensitivityOptions.Groups"/>), in order of first appearance.</summary>
    public IReadOnlyList<string> GroupNames { get; }

    /// <summary>The group index of variable <paramref name="variable"/>.</summary>
    public int GroupOf(int variable) => _groupOf[variable];

    /// <summary>The variables of group <paramref name="group"/>, in order.</summary>
    public int[] GroupMembers(int group) => [.. Enumerable.Range(0, Variables).Where(j => _groupOf[j] == group)];

    /// <summary>A group's relevance to <paramref name="outputs"/>: the largest <see cref="MaxAbs(int, IReadOnlyList{int})"/> of its variables (NaN if any is NaN).</summary>
    /// <param name="group">Group index.</param>
    /// <param name="outputs">Output indices (0 = objective, 1..m = constraints).</param>
    /// <returns>The relevance.</returns>
    public double GroupMaxAbs(int group, IReadOnlyList<int> outputs)
    {
        double max = 0;
        foreach (int j in GroupMembers(group))
        {
            double v = MaxAbs(j, outputs);
            if (double.IsNaN(v))
            {
                return double.NaN;
            }

            max = Math.Max(max, v);
        }

        return max;
    }

    /// <summary>Number of outputs, m + 1.</summary>
    public int Outputs { get; }

    /// <summary>Number of variables d.</summary>
    public int Variables { get; }

    /// <summary>Objective name, then constraint names.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Variable names.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>The nominal design's observation.</summary>
    public Observation Nominal { get; }

    /// <summary>Normalised sensitivity of output <paramref name="output"/> to variable <paramref name="variable"/>.</summary>
    public double this[int output, int variable] => _s[(output * Variables) + variable];

    /// <summary>Largest |S[i, j]| over outputs for variable j (NaN if a perturbation of j failed).</summary>
    public double MaxAbs(int variable) => MaxAbs(variable, AllOutputs());

    /// <summary>Largest |S[i, j]| over the given outputs for variable j (NaN if a perturbation of j failed).</summary>
    /// <param name="variable">Variable index j.</param>
    /// <param name="outputs">Output indices i (0 = objective, 1..m = constraints).</param>
    /// <returns>The relevance of the variable to those outputs.</returns>
    public double MaxAbs(int variable, IReadOnlyList<int> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        double max = 0;
        foreach (int i in outputs)
        {
            double v = this[i, variable];
            if (double.IsNaN(v))
            {
                return double.NaN;
            }

            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    /// <summary>
    /// The outputs the nominal design fails: constraints with f_i &gt; 0 (indices 1..m); every output when none fails
    /// (a feasible nominal is then fine-tuned for all of them).
    /// </summary>
    public int[] FailingOutputs()
    {
        int[] failing = [.. Enumerable.Range(0, Outputs - 1).Where(c => Nominal.Evaluation.Constraints[c] > 0).Select(c => c + 1)];
        return failing.Length > 0 ? failing : AllOutputs();
    }

    /// <summary>
    /// Indices of the variables whose largest normalised sensitivity to the failing outputs
    /// (<see cref="FailingOutputs"/>) exceeds <paramref name="threshold"/> (or is NaN): the critical devices' variables
    /// worth optimising (Section II-C); the others can be frozen at their nominal values. With groups, a group is kept
    /// or frozen whole: all its variables are kept when any of them passes.
    /// </summary>
    /// <param name="threshold">Relevance threshold (fraction of an output's scale per full-range change).</param>
    /// <returns>Kept variable indices in their original order.</returns>
    public int[] CriticalFor(double threshold) => Above(threshold, FailingOutputs());

    /// <summary>
    /// Indices of the variables with <c>max_i |S[i, j]| &gt; threshold</c> (or NaN), in their original order: the design
    /// variables worth optimising (Section II-C).
    /// </summary>
    public int[] Important(double threshold) => Above(threshold, AllOutputs());

    /// <summary>
    /// Builds the matrix from the observations of a run of <see cref="SensitivityAnalysis"/> with the same options (the
    /// designs are recomputed and matched in order).
    /// </summary>
    /// <exception cref="InvalidOperationException">Too few observations, or the nominal design failed (no reference to difference against).</exception>
    public static SensitivityResult FromObservations(IProblem problem, SensitivityOptions options, IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observations);
        var space = problem.Space;
        var designs = SensitivityAnalysis.Designs(space, options);
        if (observations.Count < designs.Length)
        {
            throw new InvalidOperationException($"The analysis needs {designs.Length} evaluations; {observations.Count} were made.");
        }

        var nominal = observations[0];
        if (!nominal.Evaluation.Succeeded)
        {
            throw new InvalidOperationException($"The nominal design failed ({nominal.Evaluation.FailureReason}); choose another nominal point.");
        }

        int d = space.Dimension, outputs = problem.Constraints.Count + 1;
        var scales = new double[outputs];
        scales[0] = problem.Objective.Scale;
        for (int i = 1; i < outputs; i++)
        {
            scales[i] = problem.Constraints[i - 1].Scale;
        }

        var s = new double[outputs * d];
        int per = options.Central ? 2 : 1;
        for (int j = 0; j < d; j++)
        {
            // Central: difference of the two perturbations; forward: perturbation minus nominal.
            var a = observations[1 + (j * per)];
            var b = options.Central ? observations[2 + (j * per)] : nominal;
            double du = a.Unit[j] - b.Unit[j];
            for (int i = 0; i < outputs; i++)
            {
                s[(i * d) + j] = !a.Evaluation.Succeeded || !b.Evaluation.Succeeded || du == 0
                    ? double.NaN
                    : (Output(a.Evaluation, i) - Output(b.Evaluation, i)) / (scales[i] * du);
            }
        }

        var outputNames = new List<string> { problem.Objective.Name };
        outputNames.AddRange(problem.Constraints.Select(c => c.Name));
        return new SensitivityResult(outputs, d, s, outputNames, space.Select(v => v.Name).ToList(), nominal, options.Groups);
    }

    private static double Output(Evaluation e, int i) => i == 0 ? e.Objective : e.Constraints[i - 1];

    private int[] AllOutputs() => [.. Enumerable.Range(0, Outputs)];

    /// <summary>
    /// Variables (in order) whose group's relevance to <paramref name="outputs"/> exceeds the threshold or is NaN (an
    /// input that breaks the circuit matters). Without groups every variable is its own group.
    /// </summary>
    private int[] Above(double threshold, IReadOnlyList<int> outputs)
    {
        bool[] keep = [.. Enumerable.Range(0, GroupNames.Count).Select(g => GroupMaxAbs(g, outputs) is double s && (double.IsNaN(s) || s > threshold))];
        return [.. Enumerable.Range(0, Variables).Where(j => keep[_groupOf[j]])];
    }
}

namespace Crm.Domain;

/// <summary>
/// One allowed step of a lifecycle: in <paramref name="From"/>, <paramref name="Trigger"/> leads to
/// <paramref name="To"/>, where <paramref name="Deadline"/> (if any) starts running.
/// </summary>
/// <param name="From">State the step starts from.</param>
/// <param name="Trigger">Name of the event or command that takes the step.</param>
/// <param name="To">State the step ends in.</param>
/// <param name="Deadline">How long the flow may then wait in <paramref name="To"/>; <c>null</c> for none.</param>
public sealed record StateTransition(string From, string Trigger, string To, Deadline? Deadline);

/// <summary>
/// A lifecycle written as 000 §3.3 describes it: named states, and for each state the triggers it
/// accepts and where they lead (an FSM), with a deadline per waiting state. Entities consult it to
/// refuse illegal steps; sagas consult it for the next states and for how long to schedule.
/// </summary>
public sealed class StateTable
{
    private readonly Dictionary<(string From, string Trigger), StateTransition> _steps = [];
    private readonly HashSet<string> _states;
    private readonly HashSet<string> _final;
    private readonly Dictionary<string, Deadline> _deadlines = new(StringComparer.Ordinal);

    /// <summary>
    /// Builds the table. A malformed structure is a programming error (<see cref="ArgumentException"/>);
    /// a deadline policy that does not fit the lifecycle is a configuration error
    /// (<see cref="DomainRuleViolation"/> with fields <c>deadlines.{state}</c>), so start-up validation can report it.
    /// </summary>
    public StateTable(string subject, IReadOnlyList<string> states, IReadOnlyList<string> finalStates,
        IReadOnlyList<(string From, string Trigger, string To)> steps, DeadlinePolicy deadlines)
    {
        Subject = subject;
        States = states;
        FinalStates = finalStates;
        _states = new HashSet<string>(states, StringComparer.Ordinal);
        _final = new HashSet<string>(finalStates, StringComparer.Ordinal);
        if (_states.Count != states.Count || !_final.IsSubsetOf(_states))
            throw new ArgumentException($"{subject}: states must be distinct and include every final state.");

        var check = new RuleCheck();
        foreach (var (name, within) in deadlines.Within)
        {
            var state = states.FirstOrDefault(s => string.Equals(s, name, StringComparison.OrdinalIgnoreCase));
            check.Require(state is not null, $"deadlines.{name}", $"is not a state of the {subject} lifecycle")
                .Require(state is null || !_final.Contains(state), $"deadlines.{name}", "is a final state, where nothing waits")
                .Require(within > TimeSpan.Zero && within <= TimeSpan.FromDays(366), $"deadlines.{name}", "must be more than zero and at most a year");
            if (state is not null)
                _deadlines[state] = new Deadline(state, within);
        }
        check.ThrowIfBroken();

        var transitions = new List<StateTransition>();
        foreach (var (from, trigger, to) in steps)
        {
            if (!_states.Contains(from) || !_states.Contains(to) || _final.Contains(from))
                throw new ArgumentException($"{subject}: step {from} --{trigger}--> {to} names an unknown state or leaves a final one.");
            var transition = new StateTransition(from, trigger, to, DeadlineIn(to));
            if (!_steps.TryAdd((from, trigger), transition))
                throw new ArgumentException($"{subject}: {from} has two steps named {trigger}.");
            transitions.Add(transition);
        }
        Transitions = transitions;
    }

    /// <summary>What the lifecycle is of ("order", "service ticket"), for messages.</summary>
    public string Subject { get; }

    /// <summary>Every named state, in the order of the process.</summary>
    public IReadOnlyList<string> States { get; }

    /// <summary>States the lifecycle ends in; nothing leaves them.</summary>
    public IReadOnlyList<string> FinalStates { get; }

    /// <summary>Every allowed step.</summary>
    public IReadOnlyList<StateTransition> Transitions { get; }

    /// <summary>Whether <paramref name="state"/> ends the lifecycle.</summary>
    public bool IsFinal(string state) => _final.Contains(state);

    /// <summary>The steps allowed from <paramref name="state"/>.</summary>
    public IReadOnlyList<StateTransition> From(string state) => Transitions.Where(t => t.From == state).ToArray();

    /// <summary>Whether <paramref name="trigger"/> is allowed in <paramref name="from"/>.</summary>
    public bool Allows(string from, string trigger) => _steps.ContainsKey((from, trigger));

    /// <summary>The step <paramref name="trigger"/> takes from <paramref name="from"/>, or a <see cref="DomainRuleViolation"/> on field <c>status</c>.</summary>
    public StateTransition Require(string from, string trigger)
    {
        if (_steps.TryGetValue((from, trigger), out var step))
            return step;
        var allowed = From(from).Select(t => t.Trigger).ToArray();
        throw DomainRuleViolation.Of("status", $"a {Subject} in {from} cannot {trigger}; " +
            (allowed.Length == 0 ? $"{from} is final" : "it can: " + string.Join(", ", allowed)));
    }

    /// <summary>The deadline of waiting in <paramref name="state"/>, if the policy sets one.</summary>
    public Deadline? DeadlineIn(string state) => _deadlines.GetValueOrDefault(state);

    /// <summary>When a wait in <paramref name="state"/> that began at <paramref name="enteredAt"/> runs out; <c>null</c> without a deadline.</summary>
    public DateTimeOffset? DueAt(string state, DateTimeOffset enteredAt) => DeadlineIn(state)?.DueAt(enteredAt);

    /// <summary>Takes <paramref name="trigger"/> from <paramref name="current"/> and returns the history entry for it.</summary>
    internal StateChange Step(string current, string trigger, StateChangeCause cause, string? reason)
    {
        RequireCause(cause);
        var step = Require(current, trigger);
        return new StateChange(current, step.To, trigger, cause.At, cause.Actor.Trim(), reason?.Trim(), cause.MessageId);
    }

    /// <summary>Checks the actor of a step: every history entry must say who took it.</summary>
    internal static void RequireCause(StateChangeCause cause) =>
        new RuleCheck()
            .Require(cause is not null && !string.IsNullOrWhiteSpace(cause.Actor) && cause.Actor.Length <= 64, "actor", "is required, at most 64 characters")
            .ThrowIfBroken();

    /// <summary>Checks the cause, then tells whether a message with its id already moved the lifecycle (a redelivery).</summary>
    internal static bool AlreadyApplied(IEnumerable<StateChange> history, StateChangeCause cause)
    {
        RequireCause(cause);
        return cause.MessageId is { } id && history.Any(h => h.MessageId == id);
    }
}

namespace Crm.Domain;

/// <summary>
/// A 时限 (000 §3.2): how long a flow may wait in <paramref name="State"/> before it alarms or is
/// escalated. The clock starts when the state is entered, so a repeated step restarts it.
/// </summary>
/// <param name="State">The state the flow waits in.</param>
/// <param name="Within">How long it may wait there.</param>
public sealed record Deadline(string State, TimeSpan Within)
{
    /// <summary>When the wait that began at <paramref name="enteredAt"/> runs out.</summary>
    public DateTimeOffset DueAt(DateTimeOffset enteredAt) => enteredAt + Within;

    /// <summary>Whether the wait that began at <paramref name="enteredAt"/> has run out at <paramref name="now"/>.</summary>
    public bool HasPassed(DateTimeOffset enteredAt, DateTimeOffset now) => now >= DueAt(enteredAt);
}

/// <summary>
/// Deadlines per waiting state, as configuration gives them (for example
/// <c>Orders:Deadlines:Within:AwaitingApproval = 2.00:00:00</c>). A state without an entry has no
/// deadline. Checked against a lifecycle when its <see cref="StateTable"/> is built.
/// </summary>
public sealed class DeadlinePolicy
{
    /// <summary>Longest wait per state name; names compare without regard to case, as configuration keys do.</summary>
    public Dictionary<string, TimeSpan> Within { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A copy with the wait in <paramref name="state"/> set to <paramref name="within"/>.</summary>
    public DeadlinePolicy With(string state, TimeSpan within)
    {
        var copy = new DeadlinePolicy();
        foreach (var (s, w) in Within)
            copy.Within[s] = w;
        copy.Within[state] = within;
        return copy;
    }
}

namespace Crm.Domain;

/// <summary>Who or what moves a lifecycle on, when, and on behalf of which message.</summary>
/// <param name="Actor">User id of the person, or the name of the system or saga, acting.</param>
/// <param name="At">When the step happens.</param>
/// <param name="MessageId">
/// Id of the bus message that caused the step, if any. A redelivered message finds its id in the
/// history and changes nothing, which makes every step safe to retry.
/// </param>
public sealed record StateChangeCause(string Actor, DateTimeOffset At, Guid? MessageId = null);

/// <summary>One entry of a lifecycle's history: a step that was taken.</summary>
/// <param name="From">State before the step; <c>null</c> for the step that created the record.</param>
/// <param name="To">State after the step.</param>
/// <param name="Trigger">Name of the step, as in the lifecycle's <see cref="StateTable"/>.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who or what took it.</param>
/// <param name="Reason">Why, where the step needs a reason (a rejection, a failure, a cancellation).</param>
/// <param name="MessageId">The bus message that caused it, if any.</param>
public sealed record StateChange(string? From, string To, string Trigger, DateTimeOffset At, string Actor, string? Reason, Guid? MessageId);

namespace Crm.Contracts.Operations;

/// <summary>
/// Event: an operations alert began (an endpoint stopped, a queue growing, failed messages rising, a partner's circuit
/// open). <paramref name="Kind"/> is <c>endpoint-stopped</c>, <c>queue-growing</c>, <c>failed-messages</c> or
/// <c>partner-circuit-open</c>; <paramref name="Subject"/> what it is about (endpoint, queue, partner). Raised once per
/// episode; the on-call staff are notified.
/// </summary>
public sealed record OperationsAlertRaised(
    Guid AlertId,
    string Kind,
    string Subject,
    string Text,
    DateTimeOffset Since,
    DateTimeOffset RaisedAt);

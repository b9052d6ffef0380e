namespace Crm.Contracts.Operations;

/// <summary>Event: the condition of alert <paramref name="AlertId"/> no longer holds.</summary>
public sealed record OperationsAlertCleared(
    Guid AlertId,
    string Kind,
    string Subject,
    DateTimeOffset ClearedAt);

namespace Crm.Contracts.Notifications;

/// <summary>
/// Event: the service ticket's work is done (003 §3.7.4 完成确认). With <paramref name="SurveyUrl"/>, the customer
/// is asked for a follow-up survey (回访) a little later.
/// </summary>
public sealed record ServiceTicketCompleted(
    Guid TicketId,
    string TicketNumber,
    string CustomerCode,
    Guid? ContactId,
    DateTimeOffset CompletedAt,
    string? SurveyUrl);

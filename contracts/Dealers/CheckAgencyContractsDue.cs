namespace Crm.Contracts.Dealers;

/// <summary>
/// Command: on <paramref name="On"/> (a business day in the company's time zone), expire every active agency contract past its last day
/// (<c>AgencyContractExpired</c>) and remind whoever looks after the dealer of each contract ending within <c>Dealers:Contracts:RemindDaysBefore</c>
/// days (<c>AgencyContractExpiring</c>, once per contract). Sent by the dealers endpoint's own timer; repeating it changes nothing more.
/// </summary>
public sealed record CheckAgencyContractsDue(DateOnly On, DateTimeOffset RequestedAt);

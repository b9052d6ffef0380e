namespace Crm.Contracts.Notifications;

/// <summary>
/// Command: notify the next batch of a bulk campaign's recipients (003 §3.13 邮件群发/短信群发), those whose key
/// sorts after <paramref name="AfterRecipientKey"/> (<c>null</c>: from the first).
/// </summary>
public sealed record SendCampaignBatch(Guid CampaignId, string? AfterRecipientKey);

namespace Crm.Contracts.Erp;

/// <summary>
/// Command to the ERP gateway: deliver the mailbox entry <paramref name="DocumentId"/> of <paramref name="PartnerId"/> (an ERP whose
/// delivery is push or both) by calling its ReceiveDocument operation; on success the entry is acknowledged. <paramref name="Attempt"/>
/// counts earlier failed deliveries (it sets the wait before the next one).
/// </summary>
public sealed record PushErpOutboundDocument(string PartnerId, string DocumentId, int Attempt = 0);

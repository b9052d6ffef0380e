namespace Crm.Contracts.Notifications;

/// <summary>Command to the platform push channel (queue <c>mobile-push-delivery</c>): send the recorded push delivery to its device.</summary>
public sealed record DeliverPush(Guid DeliveryId);

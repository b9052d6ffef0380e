namespace Crm.Contracts.Notifications;

/// <summary>
/// Command to the platform push channel (queue <c>mobile-push-delivery</c>): send the recorded push delivery to its device.
/// <paramref name="Deferrals"/> counts how often the push service already asked us to come back later (<c>Retry-After</c>).
/// </summary>
public sealed record DeliverPush(Guid DeliveryId, int Deferrals = 0);

using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Infrastructure;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Orders;

/// <summary>
/// Finds who may approve an order waiting for approval and asks each of them: an <see cref="ApprovalRequested"/> per manager, and per
/// deputy holding a delegated <c>orders.approve</c> in force, whom <see cref="MobileCaller.MayApproveOrderOf"/> allows (<see cref="Approvers"/>), which the push consumers turn into a push to their phone and the
/// notification functions into an email and SMS. The approval id is derived from the order and the approver, so a redelivered
/// request notifies once.
/// </summary>
public sealed class OrderApproversConsumer(HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock, ILogger<OrderApproversConsumer> logger)
    : IConsumer<OrderApprovalRequired>
{
    public async Task Consume(ConsumeContext<OrderApprovalRequired> context)
    {
        var m = context.Message;
        var owner = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == m.OwnerUserId, context.CancellationToken);
        var approvers = owner is null || owner.Region.Length == 0
            ? []
            : await Approvers.WhoMayAsync(db, catalog, StaffPermissions.OrdersApprove, owner.Region, owner.Office,
                c => c.MayApproveOrderOf(m.OwnerUserId, owner.Region), clock.GetUtcNow(), context.CancellationToken);
        if (approvers.Count == 0)
            logger.LogWarning("Order {OrderNumber} waits for approval but nobody may approve orders of {Owner}; its deadline will alarm", m.OrderNumber, m.OwnerUserId);
        foreach (var approver in approvers)
            await context.Publish(new ApprovalRequested(IdempotencyFilter.IdFor("order-approval", $"{m.OrderId:N}/{approver.UserId}"), "order", m.OrderNumber,
                approver.UserId, m.OwnerUserId, m.RequestedAt));
    }
}

/// <summary>Runs beside the mobile order list, which knows the staff.</summary>
public sealed class OrderApproversConsumerDefinition : ConsumerDefinition<OrderApproversConsumer>
{
    public OrderApproversConsumerDefinition() => EndpointName = HubQueues.MobileOrders;
}

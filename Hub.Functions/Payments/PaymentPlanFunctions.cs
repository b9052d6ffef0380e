using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Payments;

/// <summary>
/// Keeps the order's payment plan for the reminders; a later plan for the order replaces the earlier one. The order publishes
/// <see cref="PaymentPlanAgreed"/> only for a plan its domain took (<c>Order.PlanPayments</c>: numbered, dates increasing,
/// adding up to the total), so the plan here is the order's and its rules are checked there alone.
/// </summary>
[BusTrigger(typeof(PaymentPlanAgreed))]
public sealed class PaymentPlanRecorder(HubDbContext db) : IFunction<PaymentPlanAgreed>
{
    public async Task Run(PaymentPlanAgreed message, FunctionContext context)
    {
        var ct = context.CancellationToken;
        await db.Set<PaymentInstalmentRow>().Where(i => i.OrderId == message.OrderId).ExecuteDeleteAsync(ct);
        db.AddRange(message.Instalments.Select(i => new PaymentInstalmentRow
        {
            OrderId = message.OrderId,
            Sequence = i.Sequence,
            OrderNumber = message.OrderNumber,
            CustomerCode = message.CustomerCode,
            Currency = message.Currency,
            DueOn = i.DueOn,
            Amount = i.Amount,
        }));
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>
/// Counts money received against the order's instalments, so paid ones are not reminded of. <see cref="PaymentReceived"/> comes
/// from the order once it took the receipt (from the ERP or billing), so these are exactly the order's receipts.
/// </summary>
[BusTrigger(typeof(PaymentReceived))]
public sealed class PaymentReceiptRecorder(HubDbContext db) : IFunction<PaymentReceived>
{
    public async Task Run(PaymentReceived message, FunctionContext context)
    {
        if (await db.Set<PaymentReceiptRow>().AnyAsync(r => r.ReceiptId == message.ReceiptId, context.CancellationToken))
            return;
        db.Add(new PaymentReceiptRow { ReceiptId = message.ReceiptId, OrderId = message.OrderId, Amount = message.Amount });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

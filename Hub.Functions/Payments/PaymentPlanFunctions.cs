using Crm.Contracts.Notifications;
using Hub.Functions.Hosting;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Payments;

/// <summary>Keeps the instalments of an agreed payment plan for the reminders; a later plan for the order replaces the earlier one.</summary>
[BusTrigger(typeof(PaymentPlanAgreed))]
public sealed class PaymentPlanRecorder(HubDbContext db) : IFunction<PaymentPlanAgreed>
{
    public async Task Run(PaymentPlanAgreed message, FunctionContext context)
    {
        var ct = context.CancellationToken;
        if (message.Instalments is not { Count: > 0 } || message.Instalments.Any(i => i.Amount <= 0))
            throw new ArgumentException($"Payment plan of order {message.OrderNumber} has no instalments or a non-positive amount.");
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

/// <summary>Counts money received against the order's instalments, so paid ones are not reminded of.</summary>
[BusTrigger(typeof(PaymentReceived))]
public sealed class PaymentReceiptRecorder(HubDbContext db) : IFunction<PaymentReceived>
{
    public async Task Run(PaymentReceived message, FunctionContext context)
    {
        if (message.Amount <= 0)
            throw new ArgumentException($"Receipt {message.ReceiptId} for order {message.OrderNumber} has a non-positive amount.");
        if (await db.Set<PaymentReceiptRow>().AnyAsync(r => r.ReceiptId == message.ReceiptId, context.CancellationToken))
            return;
        db.Add(new PaymentReceiptRow { ReceiptId = message.ReceiptId, OrderId = message.OrderId, Amount = message.Amount });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

using System.Security.Cryptography;
using System.Text;
using Crm.Contracts.Dealers;
using Crm.Contracts.Notifications;
using Crm.Contracts.Orders;
using Crm.Domain.Customers;
using Crm.Domain.Orders;
using Hub.CrmStore.Customers;
using Hub.CrmStore.Dealers;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Dealers;

/// <summary>
/// The achievement ledger (003 §3.2.5: 目标完成数值来自于…订单中的销售额及回款额): a completed order for a dealer counts its units
/// and amount on the day it was placed; money received on a dealer's order counts as receipts on the day received. Money has one
/// source: <see cref="PaymentReceived"/>, which the order publishes once it took the receipt, whether the ERP or billing reported
/// it (billing's only when <see cref="DealerOptions.CountBillingPayments"/>: where both are connected they report the same money).
/// Each source event becomes at most one ledger entry, whose id is derived from the event's own id, so an event delivered or
/// published twice counts once. Only the events and the stored order (<c>crm_order</c>: customer, placing time, lines) are read, never the order saga.
/// </summary>
public sealed class DealerAchievementConsumer(HubDbContext db, IOptions<DealerOptions> options, TimeProvider clock, ILogger<DealerAchievementConsumer> logger) :
    IConsumer<OrderCompleted>,
    IConsumer<PaymentReceived>
{
    public async Task Consume(ConsumeContext<OrderCompleted> context)
    {
        var m = context.Message;
        var order = await Order(m.OrderId, context.CancellationToken);
        var placedAt = order?.PlacedAt ?? m.CompletedAt;
        await Count(context, DealerLedger.OrderSource, m.OrderId.ToString("N"), m.CustomerCode, m.OrderNumber,
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(placedAt, options.Value.Zone()).DateTime),
            order?.Items.Sum(i => i.Quantity) ?? 0, m.TotalAmount, 0m);
    }

    /// <summary>A receipt the order took: the business day is the reporting system's own.</summary>
    public async Task Consume(ConsumeContext<PaymentReceived> context)
    {
        var m = context.Message;
        var billing = m.Source == PaymentSources.Billing;
        if (billing && !options.Value.CountBillingPayments)
            return;
        if (await Order(m.OrderId, context.CancellationToken) is not { } order)
        {
            logger.LogWarning("Receipt {ReceiptId} names order {OrderId}, which is not stored; not counted for any dealer", m.ReceiptId, m.OrderId);
            return;
        }
        await Count(context, billing ? DealerLedger.BillingPaymentSource : DealerLedger.ErpReceiptSource, m.ReceiptId.ToString("N"), order.CustomerCode,
            order.Number, m.ReceivedOn, 0, 0m, m.Amount);
    }

    private Task<OrderFacts?> Order(Guid orderId, CancellationToken ct) =>
        db.Set<Order>().AsNoTracking().Where(o => o.Id == orderId)
            .Select(o => new OrderFacts(o.Number, o.CustomerCode, o.PlacedAt, o.Items)).FirstOrDefaultAsync(ct);

    private sealed record OrderFacts(string Number, string CustomerCode, DateTimeOffset PlacedAt, IReadOnlyList<OrderItem> Items);

    private async Task Count(ConsumeContext context, string source, string sourceId, string customerCode, string reference, DateOnly on, int units,
        decimal sales, decimal receipts)
    {
        var id = EntryId(source, sourceId);
        if (await db.Set<DealerAchievementEntry>().AnyAsync(e => e.Id == id, context.CancellationToken))
            return;
        var dealer = await Dealer(customerCode, context.CancellationToken);
        if (dealer is null)
            return;
        db.Add(new DealerAchievementEntry
        {
            Id = id, Source = source, SourceId = sourceId, DealerId = dealer.Id, DealerCode = dealer.Code, On = on, Year = on.Year, Month = on.Month,
            Units = units, SalesAmount = sales, Receipts = receipts, Reference = reference, RecordedAt = clock.GetUtcNow().UtcDateTime,
        });
        await context.Publish(new DealerAchievementRecorded(id, dealer.Id, dealer.Code, source, reference, on, units, sales, receipts));
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>
    /// The dealer behind a customer code at the instant of writing; a dealer merged into another dealer counts for the one that survived,
    /// also when the merge happens at that very instant (<see cref="CustomerSurvivors.SurvivorForWriteAsync"/>: a merge cannot commit
    /// between this read and the entry's write, so the entry never stays under the duplicate after the merge moved its ledger).
    /// </summary>
    private async Task<Customer?> Dealer(string customerCode, CancellationToken ct) =>
        await db.SurvivorForWriteAsync(customerCode, ct) is { IsDealer: true } dealer ? dealer : null;

    /// <summary>The ledger entry of a source event: the same event always names the same entry.</summary>
    internal static Guid EntryId(string source, string sourceId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"crm-dealer-ledger:{source}:{sourceId}")).AsSpan(0, 16));
}

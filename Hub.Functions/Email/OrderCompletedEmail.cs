using System.Net;
using Crm.Contracts.Orders;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Functions.Email;

/// <summary>Tells the customer their order is complete (003 §3.4 order notifications).</summary>
[BusTrigger(typeof(OrderCompleted))]
public sealed class OrderCompletedEmail(HubDbContext db, EmailSender email, TimeProvider clock) : IFunction<OrderCompleted>
{
    public async Task Run(OrderCompleted message, FunctionContext context)
    {
        if (string.IsNullOrWhiteSpace(message.ContactEmail))
            return;
        // The inbox already drops a redelivered message; this guards a resend with a new transport id.
        var already = await db.Set<Notification>().AnyAsync(n => n.Subject == message.OrderNumber
            && n.Template == "order-completed" && n.Recipient == message.ContactEmail, context.CancellationToken);
        if (already)
            return;

        var notification = new Notification
        {
            Id = Guid.NewGuid(),
            SourceMessageId = context.MessageId,
            Channel = "email",
            Recipient = message.ContactEmail,
            Template = "order-completed",
            Subject = message.OrderNumber,
            CreatedAt = clock.GetUtcNow(),
        };
        var number = WebUtility.HtmlEncode(message.OrderNumber);
        await email.SendAsync(new EmailMessage(message.ContactEmail,
            $"订单 {message.OrderNumber} 已完成 / Order {message.OrderNumber} completed",
            $"您的订单 {message.OrderNumber} 已完成，金额 {message.TotalAmount:0.00}。\nYour order {message.OrderNumber} is complete; amount {message.TotalAmount:0.00}.",
            $"<p>您的订单 <b>{number}</b> 已完成，金额 {message.TotalAmount:0.00}。</p><p>Your order <b>{number}</b> is complete; amount {message.TotalAmount:0.00}.</p>",
            $"{context.MessageId:N}.email"), context.CancellationToken);
        notification.State = NotificationState.Sent;
        notification.SentAt = clock.GetUtcNow();
        db.Add(notification);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

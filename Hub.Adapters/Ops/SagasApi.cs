using Hub.Infrastructure;
using System.Text.Json;
using Hub.Infrastructure.Audit;
using Hub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Ops;

/// <summary>One order saga instance as stored by the Endpoints host (read here by SQL: this host does not own the table).</summary>
public sealed class OrderSagaRow
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string OrderNumber { get; set; } = "";
    public string CustomerCode { get; set; } = "";
    public string ErpStatus { get; set; } = "";
    public string BillingStatus { get; set; } = "";
    public string? FailureReason { get; set; }
    public Guid? DeadlineTokenId { get; set; }
    public decimal TotalAmount { get; set; }
    /// <summary>Per work order: its charge and provisioning branch, as JSON (<c>[{workOrderId, number, billing, chargeId, provisioning, provisioningId, …}]</c>).</summary>
    public string Branches { get; set; } = "[]";
    public int AlarmsRaised { get; set; }
}

/// <summary>One service ticket saga instance as stored by the Endpoints host (read by SQL, like the orders').</summary>
public sealed class ServiceTicketSagaRow
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string TicketNumber { get; set; } = "";
    public string OpenedBy { get; set; } = "";
    public string? OfficeId { get; set; }
    public string? EngineerUserId { get; set; }
    public int AlarmsRaised { get; set; }
    public int FollowUpAttempts { get; set; }
    public Guid? DeadlineTokenId { get; set; }
    public Guid? FollowUpTokenId { get; set; }
}

/// <summary>Sagas: each order's and service ticket's lifecycle instance, its state history, pending timeouts and the messages that moved it.</summary>
public static class SagasApi
{
    private const string Columns = "\"CorrelationId\", \"CurrentState\", \"OrderNumber\", \"CustomerCode\", \"ErpStatus\", \"BillingStatus\", "
        + "\"FailureReason\", \"DeadlineTokenId\", \"TotalAmount\", \"Branches\", \"AlarmsRaised\"";

    private const string TicketColumns = "\"CorrelationId\", \"CurrentState\", \"TicketNumber\", \"OpenedBy\", \"OfficeId\", \"EngineerUserId\", "
        + "\"AlarmsRaised\", \"FollowUpAttempts\", \"DeadlineTokenId\", \"FollowUpTokenId\"";

    /// <summary>Maps <c>/ops/api/sagas/orders</c> and <c>/ops/api/sagas/service-tickets</c>.</summary>
    public static void MapSagasApi(this RouteGroupBuilder ops)
    {
        ops.MapGet("/sagas/service-tickets", async (HubDbContext db, string? state, string? key, int? limit, CancellationToken ct) =>
        {
            if (state is { Length: > 32 } || key is { Length: > 64 })
                return Results.Problem(statusCode: 400, title: "Search terms are too long.");
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            return await Read(async () =>
            {
                var q = db.Database.SqlQueryRaw<ServiceTicketSagaRow>($"SELECT {TicketColumns} FROM crm_service_ticket_saga");
                if (!string.IsNullOrWhiteSpace(state))
                    q = q.Where(s => s.CurrentState == state);
                if (!string.IsNullOrWhiteSpace(key))
                    q = q.Where(s => s.TicketNumber == key.Trim() || s.EngineerUserId == key.Trim() || s.OfficeId == key.Trim());
                return Results.Ok(await q.OrderByDescending(s => s.TicketNumber).Take(take).ToListAsync(ct));
            });
        });
        ops.MapGet("/sagas/service-tickets/{id:guid}", (Guid id, HubDbContext db, HubModuleStore store, CancellationToken ct) => Read(async () =>
        {
            var saga = await db.Database.SqlQueryRaw<ServiceTicketSagaRow>($"SELECT {TicketColumns} FROM crm_service_ticket_saga")
                .FirstOrDefaultAsync(s => s.CorrelationId == id, ct);
            if (saga is null)
                return Results.Problem(statusCode: 404, title: "No such service ticket saga.");
            var ticketKey = ";ticketId=" + id + ";";
            List<AuditedMessage> messages;
            await using (var audit = store.OpenAudit())
                messages = await audit.Set<AuditedMessage>().AsNoTracking()
                .Where(m => m.CorrelationId == id || m.BusinessKeys.Contains(ticketKey))
                .OrderBy(m => m.Id).Take(500).ToListAsync(ct);
            var history = messages.Where(m => m.MessageType == "ServiceTicketStatusChanged").DistinctBy(m => m.MessageId)
                .Select(m => new { status = StatusOf(m.Body), at = m.SentAt ?? m.ProcessedAt, messageId = m.MessageId });
            var timeouts = await db.ScheduledMessages.AsNoTracking()
                .Where(t => t.CorrelationId == id || (saga.DeadlineTokenId != null && t.TokenId == saga.DeadlineTokenId)
                            || (saga.FollowUpTokenId != null && t.TokenId == saga.FollowUpTokenId))
                .Select(t => new { t.TokenId, t.ScheduledTime, t.MessageType, t.DestinationAddress }).ToListAsync(ct);
            return Results.Ok(new
            {
                saga,
                history,
                timeouts,
                messages = messages.Where(m => m.Endpoint == HubQueues.ServiceTicketSaga)
                    .Select(m => new { m.Id, m.MessageId, m.MessageType, source = m.SourceAddress, m.ProcessedAt, m.Outcome, m.Error }),
            });
        }));
        ops.MapGet("/sagas/orders", async (HubDbContext db, string? state, string? key, int? limit, CancellationToken ct) =>
        {
            if (state is { Length: > 32 } || key is { Length: > 64 })
                return Results.Problem(statusCode: 400, title: "Search terms are too long.");
            var take = Math.Clamp(limit ?? 100, 1, 1000);
            return await Read(async () =>
            {
                var q = db.Database.SqlQueryRaw<OrderSagaRow>($"SELECT {Columns} FROM crm_order_saga");
                if (!string.IsNullOrWhiteSpace(state))
                    q = q.Where(s => s.CurrentState == state);
                if (!string.IsNullOrWhiteSpace(key))
                    q = q.Where(s => s.OrderNumber == key.Trim() || s.CustomerCode == key.Trim());
                return Results.Ok(await q.OrderByDescending(s => s.OrderNumber).Take(take).ToListAsync(ct));
            });
        });
        ops.MapGet("/sagas/orders/{id:guid}", (Guid id, HubDbContext db, HubModuleStore store, CancellationToken ct) => Read(async () =>
        {
            var saga = await db.Database.SqlQueryRaw<OrderSagaRow>($"SELECT {Columns} FROM crm_order_saga").FirstOrDefaultAsync(s => s.CorrelationId == id, ct);
            if (saga is null)
                return Results.Problem(statusCode: 404, title: "No such order saga.");
            var orderKey = ";orderId=" + id + ";";
            List<AuditedMessage> messages;
            await using (var audit = store.OpenAudit())
                messages = await audit.Set<AuditedMessage>().AsNoTracking()
                .Where(m => m.CorrelationId == id || m.BusinessKeys.Contains(orderKey))
                .OrderBy(m => m.Id).Take(500).ToListAsync(ct);
            // The state history is what the saga announced, in order: its OrderStatusChanged events.
            var history = messages.Where(m => m.MessageType == "OrderStatusChanged").DistinctBy(m => m.MessageId)
                .Select(m => new { status = StatusOf(m.Body), at = m.SentAt ?? m.ProcessedAt, messageId = m.MessageId });
            var timeouts = await db.ScheduledMessages.AsNoTracking()
                .Where(t => t.CorrelationId == id || (saga.DeadlineTokenId != null && t.TokenId == saga.DeadlineTokenId))
                .Select(t => new { t.TokenId, t.ScheduledTime, t.MessageType, t.DestinationAddress }).ToListAsync(ct);
            return Results.Ok(new
            {
                saga,
                history,
                timeouts,
                messages = messages.Where(m => m.Endpoint == "crm-order-saga")
                    .Select(m => new { m.Id, m.MessageId, m.MessageType, source = m.SourceAddress, m.ProcessedAt, m.Outcome, m.Error }),
            });
        }));
    }

    /// <summary>The saga table lives with the Endpoints host: until it has started once, there is none to read.</summary>
    private static async Task<IResult> Read(Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException)
        {
            return Results.Problem(statusCode: 503, title: "The sagas are not available yet (the Endpoints host has not created them).", detail: ex.Message);
        }
    }

    private static string? StatusOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var m = doc.RootElement.TryGetProperty("message", out var inner) ? inner : doc.RootElement;
            return m.TryGetProperty("status", out var s) ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

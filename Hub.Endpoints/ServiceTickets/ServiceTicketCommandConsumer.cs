using Hub.Infrastructure;
using Crm.Contracts.Notifications;
using Crm.Contracts.ServiceTickets;
using Crm.Domain;
using Crm.Domain.Customers;
using Crm.Domain.ServiceTickets;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.ServiceTickets;

/// <summary>
/// Moves service tickets through their lifecycle: loads the ticket, asks the domain, saves, and publishes the step's
/// events, all committing together (transactional outbox). A command already applied (same command id in the history, same
/// field work order or visit id) changes nothing and answers the ticket as it stands; a broken rule answers
/// <see cref="ServiceTicketCommandRejected"/> to a requesting caller and is logged for a command the saga sent.
/// </summary>
public sealed class ServiceTicketCommandConsumer(HubDbContext db, IOptions<ServiceTicketLifecycleOptions> options, ILogger<ServiceTicketCommandConsumer> logger) :
    IConsumer<OpenServiceTicket>,
    IConsumer<ResolveServiceTicketOnCall>,
    IConsumer<ResolveServiceTicketRemotely>,
    IConsumer<SubmitServiceTicket>,
    IConsumer<DispatchServiceTicket>,
    IConsumer<AssignFieldEngineer>,
    IConsumer<AcceptFieldWorkOrder>,
    IConsumer<DeclineFieldWorkOrder>,
    IConsumer<ReportPartsNeeded>,
    IConsumer<CompleteFieldWorkOrder>,
    IConsumer<ScheduleServiceTicketFollowUp>,
    IConsumer<RecordFollowUpAnswer>,
    IConsumer<RecordFollowUpUnanswered>,
    IConsumer<CloseServiceTicket>,
    IConsumer<WithdrawServiceTicket>
{
    public async Task Consume(ConsumeContext<OpenServiceTicket> context)
    {
        var m = context.Message;
        var existing = await ServiceTicketMapping.Load(db, m.TicketId, context.CancellationToken);
        if (existing is not null)
        {
            await Answer(context, db.ToDetails(existing));
            return;
        }
        ServiceTicket ticket;
        // The customer on record decides whether the ticket is followed up (ServiceTicket.CallsForFollowUp); one merged away
        // meanwhile is served as its survivor, so a ticket taken under the old record still lands with the customer that stays.
        var customer = await CustomerOnRecord(m.CustomerId, context.CancellationToken);
        var customerId = customer?.Id ?? m.CustomerId;
        var code = customer is not null && customer.Id != m.CustomerId ? customer.Code : m.CustomerCode?.Trim() ?? "";
        try
        {
            var check = new RuleCheck().RequireText(m.CustomerCode, "customerCode", 32).Require(m.ContactId != Guid.Empty, "contactId", "must not be empty when given");
            var kind = EnumNames.ParseOrUnknown<ServiceTicketKind>(m.Kind);
            ticket = Merge(check, () => ServiceTicket.Open(m.TicketId, customerId, EnumNames.ParseOrUnknown<IntakeChannel>(m.Channel), kind,
                m.Subject, m.Description, m.ProductCode, m.ProductInstanceId, new StateChangeCause(m.OpenedBy, m.RequestedAt, context.MessageId)));
        }
        catch (DomainRuleViolation violation)
        {
            await Reject(context, m.TicketId, violation, conflict: false, 0);
            return;
        }
        db.Add(ticket);
        var entry = db.Entry(ticket);
        entry.Property<string>(ServiceTicketsStoreModel.CustomerCode).CurrentValue = code;
        entry.Property<Guid?>(ServiceTicketsStoreModel.ContactId).CurrentValue = m.ContactId;
        // The domain's rule for the customer, or the caller marking it explicitly (a service manager's own choice).
        entry.Property<bool>(ServiceTicketsStoreModel.FollowUpWanted).CurrentValue = ticket.CallsForFollowUp(customer) || m.FollowUpRequested;
        entry.Property<long>(ServiceTicketsStoreModel.Version).CurrentValue = 1;

        await context.Publish(new ServiceTicketOpened(ticket.Id, ticket.Number, ticket.CustomerId, code, m.ContactId, ticket.Channel.ToString(),
            ticket.Kind.ToString(), ticket.Subject, ticket.ProductCode, ticket.OpenedBy, ticket.OpenedAt));
        await context.Publish(new ServiceTicketReceived(ticket.Id, ticket.Number, code, m.ContactId, ticket.Subject, ticket.OpenedAt));
        await context.Publish(db.ToStatusChanged(ticket));
        await db.SaveChangesAsync(context.CancellationToken);
        await Answer(context, db.ToDetails(ticket));
    }

    public Task Consume(ConsumeContext<ResolveServiceTicketOnCall> context) =>
        Apply(context, (t, cause) => t.ResolveOnCall(context.Message.Resolution, cause), Solved);

    public Task Consume(ConsumeContext<ResolveServiceTicketRemotely> context) =>
        Apply(context, (t, cause) => t.ResolveRemotely(context.Message.Resolution, cause), Solved);

    public Task Consume(ConsumeContext<SubmitServiceTicket> context) => Apply(context, (t, cause) => t.Submit(cause));

    public Task Consume(ConsumeContext<DispatchServiceTicket> context) => Apply(context, (t, cause) => t.Dispatch(context.Message.OfficeId, cause));

    /// <summary>The first field work order of a dispatched ticket, or a new one replacing the current (reassignment).</summary>
    public Task Consume(ConsumeContext<AssignFieldEngineer> context)
    {
        var m = context.Message;
        return Apply(context, (t, cause) =>
        {
            new RuleCheck().RequireText(m.EngineerName, "engineerName", 100).OptionalText(m.SiteAddress, "siteAddress", 400).ThrowIfBroken();
            if (t.Status == ServiceTicketStatus.Dispatched || t.FieldWorkOrders.Any(f => f.Id == m.FieldWorkOrderId))
                t.AssignEngineer(m.FieldWorkOrderId, m.EngineerUserId, cause);
            else
                t.Reassign(m.FieldWorkOrderId, m.EngineerUserId, cause);
        }, async (t, ctx) =>
        {
            var order = t.FieldWorkOrders.Single(f => f.Id == m.FieldWorkOrderId);
            var code = db.Shadow<string>(t, ServiceTicketsStoreModel.CustomerCode);
            await ctx.Publish(new ServiceTicketAssigned(t.Id, t.Number, code, db.Shadow<Guid?>(t, ServiceTicketsStoreModel.ContactId),
                order.EngineerId, m.EngineerName.Trim(), order.IssuedAt));
            await ctx.Publish(new FieldWorkOrderAssigned(order.Id, order.Number, t.Number, code, order.EngineerId, m.SiteAddress?.Trim(),
                m.ScheduledFor, order.IssuedAt));
        });
    }

    public Task Consume(ConsumeContext<AcceptFieldWorkOrder> context) => Apply(context, (t, cause) => t.Accept(cause));

    public Task Consume(ConsumeContext<DeclineFieldWorkOrder> context) => Apply(context, (t, cause) => t.Decline(context.Message.Reason, cause));

    public Task Consume(ConsumeContext<ReportPartsNeeded> context) =>
        Apply(context, (t, cause) => t.NeedParts(EnumNames.ParseOrUnknown<PartsNeed>(context.Message.Need), context.Message.Note, cause));

    public Task Consume(ConsumeContext<CompleteFieldWorkOrder> context)
    {
        var m = context.Message;
        FieldWorkOrder? completed = null;
        return Apply(context, (t, cause) =>
        {
            completed = t.CurrentFieldWorkOrder;
            t.CompleteRepair(EnumNames.ParseOrUnknown<RepairOutcome>(m.Outcome), m.Report,
                (m.PartsUsed ?? []).Select(p => new PartUsed(p.PartCode, p.Quantity)).ToArray(), cause);
        }, async (t, ctx) =>
        {
            var order = completed!;
            await ctx.Publish(new FieldWorkOrderCompleted(t.Id, t.Number, order.Id, order.Number, order.EngineerId, order.Outcome!.Value.ToString(),
                order.Report ?? "", ServiceTicketMapping.ToSummary(order).PartsUsed, order.ClosedAt!.Value));
            await Solved(t, ctx);
        });
    }

    public Task Consume(ConsumeContext<ScheduleServiceTicketFollowUp> context) =>
        Apply(context, (t, cause) => t.ScheduleFollowUp(context.Message.VisitId, context.Message.AssignedTo, context.Message.DueAt, cause));

    public Task Consume(ConsumeContext<RecordFollowUpAnswer> context) =>
        Apply(context, (t, cause) => t.RecordFollowUpAnswered(context.Message.Satisfaction, context.Message.Remarks, cause));

    public Task Consume(ConsumeContext<RecordFollowUpUnanswered> context) =>
        Apply(context, (t, cause) => t.RecordFollowUpUnanswered(options.Value.FollowUpPolicy(), cause));

    public Task Consume(ConsumeContext<CloseServiceTicket> context) => Apply(context, (t, cause) => t.Close(cause));

    public Task Consume(ConsumeContext<WithdrawServiceTicket> context) => Apply(context, (t, cause) => t.Withdraw(context.Message.Reason, cause));

    /// <summary>The customer a ticket is taken for, as its survivor when it was merged away; null when not on record.</summary>
    private async Task<Customer?> CustomerOnRecord(Guid customerId, CancellationToken ct)
    {
        var customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        // Merges chain (a survivor may itself be merged later); the bound keeps a corrupt store from looping.
        for (var hops = 0; customer?.MergedIntoId is { } survivor && hops < 8; hops++)
            customer = await db.Set<Customer>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == survivor, ct);
        return customer;
    }

    /// <summary>The customer is told the work is done (003 §3.7.4 完成确认).</summary>
    private Task Solved(ServiceTicket t, ConsumeContext context) =>
        context.Publish(new ServiceTicketCompleted(t.Id, t.Number, db.Shadow<string>(t, ServiceTicketsStoreModel.CustomerCode),
            db.Shadow<Guid?>(t, ServiceTicketsStoreModel.ContactId), t.StatusChangedAt, null));

    private async Task Apply<T>(ConsumeContext<T> context, Action<ServiceTicket, StateChangeCause> step, Func<ServiceTicket, ConsumeContext, Task>? publish = null)
        where T : class, IServiceTicketCommand
    {
        var m = context.Message;
        var ticket = await ServiceTicketMapping.Load(db, m.TicketId, context.CancellationToken);
        if (ticket is null)
        {
            if (IsRequest(context))
                await context.RespondAsync(new ServiceTicketNotFound(m.TicketId, null));
            else
                logger.LogWarning("{Command} for unknown service ticket {TicketId} dropped", typeof(T).Name, m.TicketId);
            return;
        }
        var version = db.Shadow<long>(ticket, ServiceTicketsStoreModel.Version);
        var repeated = ticket.History.Any(h => h.MessageId == m.CommandId);
        if (!repeated && m.ExpectedVersion is { } expected && expected != version)
        {
            await Reject(context, ticket.Id, DomainRuleViolation.Of("ifMatch", $"ticket {ticket.Number} is at version {version}, not {expected}"), conflict: true, version);
            return;
        }

        var steps = ticket.History.Count;
        try
        {
            step(ticket, new StateChangeCause(m.Actor, m.RequestedAt, m.CommandId));
        }
        catch (DomainRuleViolation violation)
        {
            await Reject(context, ticket.Id, violation, conflict: false, version);
            return;
        }
        if (ticket.History.Count > steps)
        {
            db.Entry(ticket).Property<long>(ServiceTicketsStoreModel.Version).CurrentValue = version + 1;
            await context.Publish(db.ToStatusChanged(ticket));
            if (publish is not null)
                await publish(ticket, context);
            await db.SaveChangesAsync(context.CancellationToken);
        }
        await Answer(context, db.ToDetails(ticket));
    }

    private async Task Reject(ConsumeContext context, Guid ticketId, DomainRuleViolation violation, bool conflict, long version)
    {
        if (IsRequest(context))
            await context.RespondAsync(new ServiceTicketCommandRejected(ticketId, violation.Errors, conflict, version));
        else
            // A command the saga sent that the ticket has moved past (a race with a person's step): nothing to do.
            logger.LogWarning("{Command} on service ticket {TicketId} refused: {Reason}", context.SupportedMessageTypes.FirstOrDefault(), ticketId, violation.Message);
    }

    private static Task Answer(ConsumeContext context, ServiceTicketDetails details) =>
        IsRequest(context) ? context.RespondAsync(details) : Task.CompletedTask;

    private static bool IsRequest(ConsumeContext context) => context.RequestId.HasValue && context.ResponseAddress is not null;

    /// <summary>Runs <paramref name="open"/> and reports its broken rules together with those already found.</summary>
    private static ServiceTicket Merge(RuleCheck found, Func<ServiceTicket> open)
    {
        try
        {
            var ticket = open();
            found.ThrowIfBroken();
            return ticket;
        }
        catch (DomainRuleViolation violation)
        {
            foreach (var (field, messages) in violation.Errors)
                foreach (var message in messages)
                    found.Require(false, field, message);
            found.ThrowIfBroken();
            throw;
        }
    }
}

/// <summary>Answers <see cref="GetServiceTicket"/> for every channel.</summary>
public sealed class GetServiceTicketConsumer(HubDbContext db) : IConsumer<GetServiceTicket>
{
    public async Task Consume(ConsumeContext<GetServiceTicket> context)
    {
        var query = context.Message;
        var id = query.TicketId
                 ?? (query.TicketNumber is { Length: > 0 } number
                     ? await db.Set<ServiceTicket>().Where(t => t.Number == number).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(context.CancellationToken)
                     : query.FieldWorkOrderId is { } order
                         ? await db.Set<FieldWorkOrder>().Where(f => f.Id == order).Select(f => (Guid?)f.TicketId).FirstOrDefaultAsync(context.CancellationToken)
                         : null);
        var ticket = id is { } found ? await ServiceTicketMapping.Load(db, found, context.CancellationToken) : null;
        if (ticket is null)
            await context.RespondAsync(new ServiceTicketNotFound(query.TicketId, query.TicketNumber));
        else
            await context.RespondAsync(db.ToDetails(ticket));
    }
}

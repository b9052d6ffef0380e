using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Crm.Domain.Orders;
using Hub.Infrastructure;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Orders;

/// <summary>
/// The order lifecycle (000 §3.4): once placed, the ERP sales order and the billing charge run in
/// parallel; the order completes when both are done (the Petri-net join). A refusal, a failure
/// after every retry, or a missed deadline compensates whatever already happened. Effects that
/// arrive late, after compensation started, are undone as they arrive.
/// </summary>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public State Fulfilling { get; private set; } = null!;
    public State Compensating { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<OrderPlaced> Placed { get; private set; } = null!;
    public Event<ErpSalesOrderCreated> ErpCreated { get; private set; } = null!;
    public Event<ErpSalesOrderRejected> ErpRejected { get; private set; } = null!;
    public Event<Fault<CreateErpSalesOrder>> ErpUnreachable { get; private set; } = null!;
    public Event<ErpSalesOrderCancelled> ErpCancelled { get; private set; } = null!;
    public Event<BillingChargeCreated> Charged { get; private set; } = null!;
    public Event<BillingChargeRejected> ChargeRejected { get; private set; } = null!;
    public Event<Fault<CreateBillingCharge>> BillingUnreachable { get; private set; } = null!;
    public Event<BillingChargeReversed> ChargeReversed { get; private set; } = null!;

    public Schedule<OrderState, OrderDeadlineExpired> Deadline { get; private set; } = null!;

    private static readonly Uri Erp = HubQueues.Address(HubQueues.ErpGateway);
    private static readonly Uri Billing = HubQueues.Address(HubQueues.BillingGateway);

    public OrderStateMachine(IOptions<OrderLifecycleOptions> options)
    {
        var lifecycle = options.Value;
        InstanceState(x => x.CurrentState);

        Event(() => Placed, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ErpCreated, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ErpRejected, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ErpUnreachable, e => e.CorrelateById(m => m.Message.Message.OrderId));
        Event(() => ErpCancelled, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => Charged, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ChargeRejected, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => BillingUnreachable, e => e.CorrelateById(m => m.Message.Message.OrderId));
        Event(() => ChargeReversed, e => e.CorrelateById(m => m.Message.OrderId));
        Schedule(() => Deadline, x => x.DeadlineTokenId, s =>
        {
            s.Delay = lifecycle.FulfilmentDeadline;
            s.Received = r => r.CorrelateById(m => m.Message.OrderId);
        });

        Initially(
            When(Placed)
                .Then(ctx =>
                {
                    var m = ctx.Message;
                    ctx.Saga.OrderNumber = m.OrderNumber;
                    ctx.Saga.CustomerCode = m.CustomerCode;
                    ctx.Saga.OwnerUserId = m.OwnerUserId;
                    ctx.Saga.TotalAmount = m.TotalAmount;
                    ctx.Saga.ContactEmail = m.ContactEmail;
                    ctx.Saga.PlacedAt = m.PlacedAt;
                })
                .Send(Erp, ctx => new CreateErpSalesOrder(ctx.Saga.CorrelationId, ctx.Message.OrderNumber,
                    ctx.Message.CustomerCode, ctx.Message.Lines, ctx.Message.TotalAmount))
                .Send(Billing, ctx => new CreateBillingCharge(ctx.Saga.CorrelationId, ctx.Message.OrderNumber,
                    ctx.Message.CustomerCode, ctx.Message.TotalAmount, lifecycle.Currency))
                .Schedule(Deadline, ctx => new OrderDeadlineExpired(ctx.Saga.CorrelationId))
                .TransitionTo(Fulfilling)
                .PublishStatus(OrderStatus.Fulfilling));

        During(Fulfilling,
            Ignore(Placed),
            When(ErpCreated)
                .Then(ctx => { ctx.Saga.ErpStatus = BranchStatus.Done; ctx.Saga.ErpSalesOrderNumber = ctx.Message.ErpSalesOrderNumber; })
                .CompleteWhenBothDone(this),
            When(Charged)
                .Then(ctx => { ctx.Saga.BillingStatus = BranchStatus.Done; ctx.Saga.BillingChargeId = ctx.Message.ChargeId; })
                .CompleteWhenBothDone(this),
            When(ErpRejected)
                .Then(ctx => ctx.Saga.ErpStatus = BranchStatus.Rejected)
                .Compensate(this, ctx => $"ERP refused the sales order: {ctx.Message.Reason}", lifecycle),
            // Waiting instead leaves the failed command to operations (retry from the error queue) and the deadline.
            When(ErpUnreachable)
                .If(_ => lifecycle.CompensateOnPartnerFault, compensate => compensate
                    .Then(ctx => ctx.Saga.ErpStatus = BranchStatus.Rejected)
                    .Compensate(this, ctx => $"ERP could not be reached: {FirstReason(ctx.Message)}", lifecycle)),
            When(ChargeRejected)
                .Then(ctx => ctx.Saga.BillingStatus = BranchStatus.Rejected)
                .Compensate(this, ctx => $"Billing refused the charge: {ctx.Message.Reason}", lifecycle),
            When(BillingUnreachable)
                .If(_ => lifecycle.CompensateOnPartnerFault, compensate => compensate
                    .Then(ctx => ctx.Saga.BillingStatus = BranchStatus.Rejected)
                    .Compensate(this, ctx => $"Billing could not be reached: {FirstReason(ctx.Message)}", lifecycle)),
            When(Deadline.Received)
                .PublishAlarm(OrderStatus.Fulfilling)
                .Compensate(this, _ => $"Fulfilment missed its deadline of {lifecycle.FulfilmentDeadline}", lifecycle),
            // Compensation replies can only follow compensation; before it they are stale duplicates.
            Ignore(ErpCancelled),
            Ignore(ChargeReversed));

        During(Compensating,
            Ignore(Placed),
            // An effect that lands after compensation began is undone as well.
            When(ErpCreated)
                .Then(ctx => { ctx.Saga.ErpStatus = BranchStatus.Done; ctx.Saga.ErpSalesOrderNumber = ctx.Message.ErpSalesOrderNumber; })
                .Send(Erp, ctx => new CancelErpSalesOrder(ctx.Saga.CorrelationId, ctx.Saga.FailureReason ?? "compensation")),
            When(Charged)
                .Then(ctx => { ctx.Saga.BillingStatus = BranchStatus.Done; ctx.Saga.BillingChargeId = ctx.Message.ChargeId; })
                .Send(Billing, ctx => new ReverseBillingCharge(ctx.Saga.CorrelationId, ctx.Saga.FailureReason ?? "compensation")),
            When(ErpRejected).Then(ctx => ctx.Saga.ErpStatus = BranchStatus.Rejected).FailWhenSettled(this),
            When(ErpUnreachable).Then(ctx => ctx.Saga.ErpStatus = BranchStatus.Rejected).FailWhenSettled(this),
            When(ChargeRejected).Then(ctx => ctx.Saga.BillingStatus = BranchStatus.Rejected).FailWhenSettled(this),
            When(BillingUnreachable).Then(ctx => ctx.Saga.BillingStatus = BranchStatus.Rejected).FailWhenSettled(this),
            When(ErpCancelled).Then(ctx => ctx.Saga.ErpStatus = BranchStatus.Undone).FailWhenSettled(this),
            When(ChargeReversed).Then(ctx => ctx.Saga.BillingStatus = BranchStatus.Undone).FailWhenSettled(this),
            When(Deadline.Received)
                .PublishAlarm(OrderStatus.Compensating)
                .SendUndoCommands()
                .Schedule(Deadline, ctx => new OrderDeadlineExpired(ctx.Saga.CorrelationId), _ => lifecycle.CompensationDeadline));

        During(Failed,
            Ignore(Placed), Ignore(ErpRejected), Ignore(ErpUnreachable), Ignore(ChargeRejected), Ignore(BillingUnreachable),
            Ignore(ErpCancelled), Ignore(ChargeReversed), Ignore(Deadline.Received),
            When(ErpCreated)
                .Send(Erp, ctx => new CancelErpSalesOrder(ctx.Saga.CorrelationId, ctx.Saga.FailureReason ?? "compensation")),
            When(Charged)
                .Send(Billing, ctx => new ReverseBillingCharge(ctx.Saga.CorrelationId, ctx.Saga.FailureReason ?? "compensation")));

        During(Completed,
            Ignore(Placed), Ignore(ErpCreated), Ignore(Charged), Ignore(ErpRejected), Ignore(ErpUnreachable),
            Ignore(ChargeRejected), Ignore(BillingUnreachable), Ignore(ErpCancelled), Ignore(ChargeReversed),
            Ignore(Deadline.Received));
    }

    private static string FirstReason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "unknown failure";
}

/// <summary>The recurring steps of the order lifecycle, named as the process table names them.</summary>
internal static class OrderLifecycleSteps
{
    private static readonly Uri Erp = HubQueues.Address(HubQueues.ErpGateway);
    private static readonly Uri Billing = HubQueues.Address(HubQueues.BillingGateway);

    public static EventActivityBinder<OrderState, T> PublishStatus<T>(this EventActivityBinder<OrderState, T> binder, string status)
        where T : class =>
        binder
            .Then(ctx => ctx.Saga.UpdatedAt = DateTimeOffset.UtcNow)
            .Publish(ctx => new OrderStatusChanged(ctx.Saga.CorrelationId, ctx.Saga.OrderNumber, ctx.Saga.OwnerUserId,
                status, ctx.Saga.FailureReason, ctx.Saga.UpdatedAt));

    public static EventActivityBinder<OrderState, T> PublishAlarm<T>(this EventActivityBinder<OrderState, T> binder, string state)
        where T : class =>
        binder.Publish(ctx => new OrderDeadlineExceeded(ctx.Saga.CorrelationId, ctx.Saga.OrderNumber, ctx.Saga.OwnerUserId,
            state, DateTimeOffset.UtcNow));

    public static EventActivityBinder<OrderState, T> CompleteWhenBothDone<T>(this EventActivityBinder<OrderState, T> binder,
        OrderStateMachine machine) where T : class =>
        binder.If(ctx => ctx.Saga.ErpStatus == BranchStatus.Done && ctx.Saga.BillingStatus == BranchStatus.Done, done => done
            .Unschedule(machine.Deadline)
            .Publish(ctx => new OrderCompleted(ctx.Saga.CorrelationId, ctx.Saga.OrderNumber, ctx.Saga.CustomerCode,
                ctx.Saga.OwnerUserId, ctx.Saga.ErpSalesOrderNumber!, ctx.Saga.BillingChargeId!, ctx.Saga.TotalAmount,
                ctx.Saga.ContactEmail, DateTimeOffset.UtcNow))
            .TransitionTo(machine.Completed)
            .PublishStatus(OrderStatus.Completed));

    public static EventActivityBinder<OrderState, T> Compensate<T>(this EventActivityBinder<OrderState, T> binder,
        OrderStateMachine machine, Func<BehaviorContext<OrderState, T>, string> reason, OrderLifecycleOptions lifecycle)
        where T : class =>
        binder
            .Then(ctx => ctx.Saga.FailureReason ??= reason(ctx))
            .SendUndoCommands()
            .Unschedule(machine.Deadline)
            .Schedule(machine.Deadline, ctx => new OrderDeadlineExpired(ctx.Saga.CorrelationId), _ => lifecycle.CompensationDeadline)
            .TransitionTo(machine.Compensating)
            .PublishStatus(OrderStatus.Compensating)
            .FailWhenSettled(machine);

    /// <summary>Undo every branch not yet settled. A pending branch is undone too: its effect may land after we stop waiting.</summary>
    public static EventActivityBinder<OrderState, T> SendUndoCommands<T>(this EventActivityBinder<OrderState, T> binder)
        where T : class =>
        binder
            .If(ctx => !BranchStatus.IsSettled(ctx.Saga.ErpStatus), b => b
                .Send(Erp, ctx => new CancelErpSalesOrder(ctx.Saga.CorrelationId, ctx.Saga.FailureReason ?? "compensation")))
            .If(ctx => !BranchStatus.IsSettled(ctx.Saga.BillingStatus), b => b
                .Send(Billing, ctx => new ReverseBillingCharge(ctx.Saga.CorrelationId, ctx.Saga.FailureReason ?? "compensation")));

    public static EventActivityBinder<OrderState, T> FailWhenSettled<T>(this EventActivityBinder<OrderState, T> binder,
        OrderStateMachine machine) where T : class =>
        binder.If(ctx => BranchStatus.IsSettled(ctx.Saga.ErpStatus) && BranchStatus.IsSettled(ctx.Saga.BillingStatus), settled => settled
            .Unschedule(machine.Deadline)
            .Publish(ctx => new OrderFailed(ctx.Saga.CorrelationId, ctx.Saga.OrderNumber, ctx.Saga.OwnerUserId,
                ctx.Saga.FailureReason ?? "unknown", DateTimeOffset.UtcNow))
            .TransitionTo(machine.Failed)
            .PublishStatus(OrderStatus.Failed));
}

using Hub.Infrastructure;
using MassTransit;

namespace Hub.Functions.Hosting;

/// <summary>
/// Declares that a function runs for every message of <see cref="MessageType"/> on <see cref="Queue"/>: the
/// counterpart of an Azure Functions Service Bus trigger, so moving a function there is a change of attributes,
/// not of logic.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class BusTriggerAttribute(Type messageType) : Attribute
{
    /// <summary>The message contract that triggers the function.</summary>
    public Type MessageType { get; } = messageType;

    /// <summary>The queue the function listens on; functions sharing a queue are competing consumers of it.</summary>
    public string Queue { get; init; } = HubQueues.Notifications;
}

/// <summary>
/// Declares that a function runs on a schedule: a 5-field cron expression (minute hour day-of-month month
/// day-of-week) in the company time zone (<c>Functions:TimeZone</c>). The counterpart of an Azure Functions
/// timer trigger; one instance runs each occurrence however many instances are up.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TimerTriggerAttribute(string schedule) : Attribute
{
    /// <summary>The cron expression, e.g. <c>0 9 * * *</c> for 09:00 every day.</summary>
    public string Schedule { get; } = schedule;
}

/// <summary>A bus-triggered function: one <see cref="Run"/> method, triggered as its attribute declares.</summary>
public interface IFunction<in TMessage> where TMessage : class
{
    /// <summary>Handles one message. Throwing hands the message back to the trigger's retries.</summary>
    Task Run(TMessage message, FunctionContext context);
}

/// <summary>A timer-triggered function: one <see cref="Run"/> method, run at each occurrence of its schedule.</summary>
public interface ITimerFunction
{
    /// <summary>Handles one occurrence. Throwing leaves the occurrence due; it is run again after <c>Functions:Timers:RetryAfter</c>.</summary>
    Task Run(TimerInfo timer, FunctionContext context);
}

/// <summary>The occurrence a timer function runs for.</summary>
/// <param name="ScheduledTime">The occurrence (UTC) as the schedule put it.</param>
/// <param name="IsPastDue">The occurrence runs so late that later ones have passed too (the hosts were down or busy); those are not run.</param>
public sealed record TimerInfo(DateTimeOffset ScheduledTime, bool IsPastDue);

/// <summary>What a function knows about its invocation.</summary>
/// <param name="FunctionName">Name of the function class.</param>
/// <param name="MessageId">Id of the triggering message (for a timer: derived from the function and occurrence, so a re-run has the same id).</param>
/// <param name="DeliveryCount">1 on first delivery, more on redelivery or re-run.</param>
/// <param name="Output">
/// Where the function's own messages go: in a bus trigger the consume context, so they are held by the outbox and
/// leave only when the function's database work commits; in a timer trigger the bus, so they leave at once.
/// </param>
/// <param name="CancellationToken">Signalled when the host stops.</param>
public sealed record FunctionContext(string FunctionName, Guid MessageId, int DeliveryCount, ISendEndpointProvider Output,
    CancellationToken CancellationToken);

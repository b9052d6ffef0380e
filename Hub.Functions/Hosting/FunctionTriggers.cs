namespace Hub.Functions.Hosting;

/// <summary>
/// Declares that a function runs for every message of <see cref="MessageType"/> on the
/// notifications endpoint: the counterpart of an Azure Functions Service Bus trigger, so moving
/// a function there is a change of attributes, not of logic.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class BusTriggerAttribute(Type messageType) : Attribute
{
    /// <summary>The message contract that triggers the function.</summary>
    public Type MessageType { get; } = messageType;
}

/// <summary>A function: one <see cref="Run"/> method, triggered as its attribute declares.</summary>
public interface IFunction<in TMessage> where TMessage : class
{
    /// <summary>Handles one message. Throwing hands the message back to the trigger's retries.</summary>
    Task Run(TMessage message, FunctionContext context);
}

/// <summary>What a function knows about its invocation.</summary>
/// <param name="FunctionName">Name of the function class.</param>
/// <param name="MessageId">Id of the triggering message: the dedupe key of its side effects.</param>
/// <param name="DeliveryCount">1 on first delivery, more on redelivery.</param>
/// <param name="CancellationToken">Signalled when the host stops.</param>
public sealed record FunctionContext(string FunctionName, Guid MessageId, int DeliveryCount, CancellationToken CancellationToken);

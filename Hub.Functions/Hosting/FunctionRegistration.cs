using System.Reflection;
using Hub.Infrastructure;
using MassTransit;

namespace Hub.Functions.Hosting;

/// <summary>Finds the functions of an assembly by their triggers and hosts them on the bus.</summary>
public static class FunctionRegistration
{
    /// <summary>The functions declared in <paramref name="assembly"/>, with their trigger message types.</summary>
    public static IReadOnlyList<(Type Function, Type Message)> Discover(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .Select(t => (Function: t, Trigger: t.GetCustomAttribute<BusTriggerAttribute>()))
            .Where(x => x.Trigger is not null)
            .Select(x =>
            {
                var contract = typeof(IFunction<>).MakeGenericType(x.Trigger!.MessageType);
                if (!contract.IsAssignableFrom(x.Function))
                    throw new InvalidOperationException($"{x.Function.Name} declares a trigger on {x.Trigger.MessageType.Name} but does not implement IFunction<{x.Trigger.MessageType.Name}>.");
                return (x.Function, x.Trigger.MessageType);
            })
            .ToArray();

    /// <summary>Registers each function as a consumer on the notifications endpoint.</summary>
    public static void AddFunctions(this IBusRegistrationConfigurator bus, Assembly assembly)
    {
        foreach (var (function, message) in Discover(assembly))
        {
            bus.AddScoped(function);
            bus.AddConsumer(typeof(FunctionConsumer<,>).MakeGenericType(function, message))
                .Endpoint(e => e.Name = HubQueues.Notifications);
        }
    }
}

/// <summary>Runs one function for one message.</summary>
internal sealed class FunctionConsumer<TFunction, TMessage>(TFunction function) : IConsumer<TMessage>
    where TFunction : IFunction<TMessage>
    where TMessage : class
{
    public Task Consume(ConsumeContext<TMessage> context) =>
        function.Run(context.Message, new FunctionContext(typeof(TFunction).Name, context.MessageId ?? Guid.Empty,
            context.GetRedeliveryCount() + context.GetRetryAttempt() + 1, context.CancellationToken));
}

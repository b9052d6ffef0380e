using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hub.Functions.Hosting;

/// <summary>A bus function found by <see cref="FunctionRegistration"/>: its class, trigger message and queue.</summary>
public sealed record BusFunctionRegistration(Type Function, Type Message, string Queue);

/// <summary>Finds the functions of an assembly by their triggers and hosts them: bus functions as consumers, timer functions on the scheduler.</summary>
public static class FunctionRegistration
{
    /// <summary>The bus-triggered functions declared in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<BusFunctionRegistration> DiscoverBusFunctions(Assembly assembly) =>
        Classes(assembly)
            .Select(t => (Function: t, Trigger: t.GetCustomAttribute<BusTriggerAttribute>()))
            .Where(x => x.Trigger is not null)
            .Select(x =>
            {
                var contract = typeof(IFunction<>).MakeGenericType(x.Trigger!.MessageType);
                if (!contract.IsAssignableFrom(x.Function))
                    throw new InvalidOperationException($"{x.Function.Name} declares a trigger on {x.Trigger.MessageType.Name} but does not implement IFunction<{x.Trigger.MessageType.Name}>.");
                return new BusFunctionRegistration(x.Function, x.Trigger.MessageType, x.Trigger.Queue);
            })
            .ToArray();

    /// <summary>The timer-triggered functions declared in <paramref name="assembly"/>; a bad cron expression stops the host with the reason.</summary>
    public static IReadOnlyList<TimerFunctionRegistration> DiscoverTimerFunctions(Assembly assembly) =>
        Classes(assembly)
            .Select(t => (Function: t, Trigger: t.GetCustomAttribute<TimerTriggerAttribute>()))
            .Where(x => x.Trigger is not null)
            .Select(x =>
            {
                if (!typeof(ITimerFunction).IsAssignableFrom(x.Function))
                    throw new InvalidOperationException($"{x.Function.Name} declares a timer trigger but does not implement ITimerFunction.");
                CronSchedule schedule;
                try
                {
                    schedule = CronSchedule.Parse(x.Trigger!.Schedule);
                }
                catch (FormatException ex)
                {
                    throw new InvalidOperationException($"{x.Function.Name}: {ex.Message}", ex);
                }
                return new TimerFunctionRegistration(x.Function, x.Function.Name, schedule);
            })
            .ToArray();

    /// <summary>
    /// Registers each bus function as a consumer on its queue, and each timer function with the
    /// <see cref="TimerFunctionScheduler"/>.
    /// </summary>
    public static void AddFunctions(this IBusRegistrationConfigurator bus, Assembly assembly)
    {
        foreach (var function in DiscoverBusFunctions(assembly))
        {
            bus.TryAddScoped(function.Function);
            bus.AddConsumer(typeof(FunctionConsumer<,>).MakeGenericType(function.Function, function.Message))
                .Endpoint(e => e.Name = function.Queue);
        }

        foreach (var timer in DiscoverTimerFunctions(assembly))
        {
            bus.TryAddScoped(timer.Function);
            bus.AddSingleton(timer);
        }
        bus.TryAddSingleton<TimerFunctionScheduler>();
        bus.AddHostedService(sp => sp.GetRequiredService<TimerFunctionScheduler>());
    }

    private static IEnumerable<Type> Classes(Assembly assembly) => assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false });
}

/// <summary>Runs one function for one message.</summary>
internal sealed class FunctionConsumer<TFunction, TMessage>(TFunction function) : IConsumer<TMessage>
    where TFunction : IFunction<TMessage>
    where TMessage : class
{
    public Task Consume(ConsumeContext<TMessage> context) =>
        function.Run(context.Message, new FunctionContext(typeof(TFunction).Name, context.MessageId ?? Guid.Empty,
            context.GetRedeliveryCount() + context.GetRetryAttempt() + 1, context, context.CancellationToken));
}

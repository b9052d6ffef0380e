using System.Collections.Concurrent;
using MassTransit;

namespace Hub.Tests.Erp;

/// <summary>
/// Listens on the hub's bus for events of the given types on a receive endpoint of its own, for events no capability consumes yet
/// (they leave no trace in the audit table).
/// </summary>
public sealed class BusEventProbe : IAsyncDisposable
{
    private readonly HostReceiveEndpointHandle _handle;

    private BusEventProbe(HostReceiveEndpointHandle handle) => _handle = handle;

    /// <summary>Every event received so far.</summary>
    public ConcurrentQueue<object> Received { get; } = new();

    public static async Task<BusEventProbe> StartAsync(IBus bus, params Type[] eventTypes)
    {
        BusEventProbe? probe = null;
        var handle = bus.ConnectReceiveEndpoint("test-probe-" + Guid.NewGuid().ToString("N"), e =>
        {
            foreach (var type in eventTypes)
                typeof(BusEventProbe).GetMethod(nameof(Listen), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(type).Invoke(null, [e, (Action<object>)(m => probe!.Received.Enqueue(m))]);
        });
        probe = new BusEventProbe(handle);
        await handle.Ready;
        return probe;
    }

    private static void Listen<T>(IReceiveEndpointConfigurator endpoint, Action<object> received) where T : class =>
        endpoint.Handler<T>(context =>
        {
            received(context.Message);
            return Task.CompletedTask;
        });

    public async ValueTask DisposeAsync() => await _handle.StopAsync();
}

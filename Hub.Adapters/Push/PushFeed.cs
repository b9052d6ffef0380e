using System.Collections.Concurrent;

namespace Hub.Adapters.Push;

/// <summary>
/// Wakes the open streams of a user on this instance when an event for them was recorded here.
/// Streams also look in the store on their own every second, which is how events recorded by
/// another instance reach them.
/// </summary>
public sealed class PushFeed
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();

    /// <summary>Wakes every stream of <paramref name="userId"/>.</summary>
    public void Signal(string userId)
    {
        if (_waiting.TryRemove(userId, out var tcs))
            tcs.TrySetResult();
    }

    /// <summary>Completes when <paramref name="userId"/> is signalled or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(string userId, TimeSpan timeout, CancellationToken ct)
    {
        var tcs = _waiting.GetOrAdd(userId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await tcs.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
        }
    }
}

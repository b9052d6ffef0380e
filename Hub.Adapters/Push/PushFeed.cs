using System.Collections.Concurrent;

namespace Hub.Adapters.Push;

/// <summary>
/// Wakes the open streams of a user on this instance when an event for them was recorded here, and
/// knows which users have a live stream here (those need no platform push). Streams also look in
/// the store on their own every second, which is how events recorded by another instance reach them.
/// </summary>
public sealed class PushFeed
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();
    private readonly ConcurrentDictionary<string, int> _live = new();
    private readonly ConcurrentDictionary<string, int> _liveDevices = new();

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

    /// <summary>Marks a stream of <paramref name="userId"/> on <paramref name="deviceId"/> open until the result is disposed.</summary>
    public IDisposable Connect(string userId, string deviceId)
    {
        _live.AddOrUpdate(userId, 1, (_, n) => n + 1);
        _liveDevices.AddOrUpdate(deviceId, 1, (_, n) => n + 1);
        return new Presence(this, userId, deviceId);
    }

    /// <summary>Whether <paramref name="userId"/> has a stream open on this instance.</summary>
    public bool IsLive(string userId) => _live.TryGetValue(userId, out var n) && n > 0;

    /// <summary>Whether device <paramref name="deviceId"/> has a stream open on this instance (it needs no platform push).</summary>
    public bool IsDeviceLive(string deviceId) => _liveDevices.TryGetValue(deviceId, out var n) && n > 0;

    private sealed class Presence(PushFeed feed, string userId, string deviceId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
                return;
            feed._live.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1));
            feed._liveDevices.AddOrUpdate(deviceId, 0, (_, n) => Math.Max(0, n - 1));
        }
    }
}

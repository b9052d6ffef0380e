using System.Collections.Concurrent;

namespace Hub.Soap.Security;

/// <summary>Remembers UsernameToken nonces so a captured header cannot be replayed.</summary>
public interface ISoapNonceCache
{
    /// <summary>Records <paramref name="key"/> until <paramref name="expiresAt"/>; false when it was already seen (a replay) or the cache is full.</summary>
    bool TryAdd(string key, DateTimeOffset expiresAt);
}

/// <summary>A bounded in-process nonce cache (per process: run one instance or plug in a shared cache).</summary>
public sealed class InMemorySoapNonceCache(TimeProvider timeProvider, int capacity = 100_000) : ISoapNonceCache
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _entries = new(StringComparer.Ordinal);
    private int _addsSincePurge;

    public InMemorySoapNonceCache()
        : this(TimeProvider.System)
    {
    }

    public int Count => _entries.Count;

    public bool TryAdd(string key, DateTimeOffset expiresAt)
    {
        var now = timeProvider.GetUtcNow();
        if (Interlocked.Increment(ref _addsSincePurge) >= 1024 || _entries.Count >= capacity)
        {
            Purge(now);
        }

        if (_entries.Count >= capacity)
        {
            return false; // fail closed rather than grow without bound
        }

        if (_entries.TryAdd(key, expiresAt))
        {
            return true;
        }

        // Seen before: still a replay unless the old entry has expired (then the Created check already guards it).
        if (_entries.TryGetValue(key, out var existing) && existing <= now)
        {
            return _entries.TryUpdate(key, expiresAt, existing);
        }

        return false;
    }

    private void Purge(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _addsSincePurge, 0);
        foreach (var entry in _entries)
        {
            if (entry.Value <= now)
            {
                _entries.TryRemove(entry);
            }
        }
    }
}

namespace Hub.Persistence.Tests.Infrastructure;

/// <summary>Bounded polling instead of sleeps. The bound is generous: CI machines are shared and slow at times; a pass returns at once.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(45);

    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var value = await probe();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}; last value: {Describe(value)}");
            await Task.Delay(25);
            value = await probe();
        }
        return value;
    }

    public static Task<T> Get<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        Get(() => Task.FromResult(probe()), done, what, timeout);

    public static Task True(Func<Task<bool>> probe, string what, TimeSpan? timeout = null) => Get(probe, v => v, what, timeout);

    public static Task True(Func<bool> probe, string what, TimeSpan? timeout = null) => Get(probe, v => v, what, timeout);

    private static string Describe(object? value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable items and not string => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}

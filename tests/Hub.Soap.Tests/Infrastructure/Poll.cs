namespace Hub.Soap.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes (no fixed sleeps in tests).</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string? because = null)
    {
        var until = DateTime.UtcNow + deadline;
        var delay = TimeSpan.FromMilliseconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Condition not met within {deadline}{(because is null ? string.Empty : ": " + because)}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string? because = null) where T : class
    {
        var until = DateTime.UtcNow + deadline;
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Nothing within {deadline}{(because is null ? string.Empty : ": " + because)}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }
}

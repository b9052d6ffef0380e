using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hub.Soap.Tests.Infrastructure;

/// <summary>Keeps log lines in memory so tests can assert that errors were logged (and not sent to callers).</summary>
public static class TestLog
{
    private static readonly ConcurrentQueue<string> Lines = new();

    public static ILoggerProvider Provider { get; } = new MemoryProvider();

    public static IReadOnlyList<string> Snapshot() => Lines.ToArray();

    private sealed class MemoryProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new MemoryLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class MemoryLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            if (Lines.Count > 5000)
            {
                Lines.TryDequeue(out _);
            }

            Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " | " + exception.GetType().Name + ": " + exception.Message)}");
        }
    }
}

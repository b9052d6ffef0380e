using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Hub.Tests;

/// <summary>Every log line of the host as written: message, structured values, scopes and exception.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (name, value) in values)
                    line.Append(' ').Append(name).Append('=').Append(value);
            owner._scopes.ForEachScope((scope, text) => text.Append(" scope=").Append(scope), line);
            if (exception is not null)
                line.Append(' ').Append(exception);
            owner._lines.Enqueue(line.ToString());
        }
    }
}

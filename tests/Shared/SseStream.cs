using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;

namespace Hub.TestSupport;

/// <summary>One Server-Sent Event as a device receives it.</summary>
public sealed record SseEvent(string? Id, string? Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>A real HTTP client holding an SSE stream open, as a phone would.</summary>
public sealed class SseStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseEvent> _events = Channel.CreateUnbounded<SseEvent>();
    private readonly Task _reader;

    private SseStream(HttpClient http, HttpResponseMessage response)
    {
        _http = http;
        _reader = Read(response);
    }

    public static async Task<SseStream> OpenAsync(string url, string? lastEventId = null, string? bearerToken = null)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (bearerToken is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseStream(http, response);
    }

    private async Task Read(HttpResponseMessage response)
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            string? id = null, name = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                        await _events.Writer.WriteAsync(new SseEvent(id, name, string.Join("\n", data)));
                    id = name = null;
                    data.Clear();
                }
                else if (line.StartsWith("id:", StringComparison.Ordinal)) id = line[3..].Trim();
                else if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Add(line[5..].TrimStart());
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            response.Dispose();
            _events.Writer.TryComplete();
        }
    }

    /// <summary>The next event that satisfies <paramref name="match"/>, skipping others; fails after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent> WaitFor(Func<SseEvent, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                if (match(e))
                    return e;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching push event within {timeout}.");
        }
    }

    /// <summary>Every event received so far, without waiting.</summary>
    public List<SseEvent> Drain()
    {
        var list = new List<SseEvent>();
        while (_events.Reader.TryRead(out var e))
            list.Add(e);
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reader; } catch (OperationCanceledException) { }
        _http.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Bounded polling instead of fixed sleeps.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        do
        {
            last = await probe();
            if (done(last))
                return last;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{what} not reached within {timeout}; last: {JsonSerializer.Serialize(last)}");
    }
}

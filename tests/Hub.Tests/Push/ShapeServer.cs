using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Push;

/// <summary>A push message a shape-checking server accepted: the device token and the JSON body.</summary>
public sealed record AcceptedPush(string Token, JsonElement Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A local stand-in for a push service on loopback (Kestrel): it checks each request against the documented shape and
/// refuses anything else with 400 and the reason, records what it accepted, and answers scripted failures for chosen
/// device tokens. Everything it refused is kept in <see cref="Refusals"/>, so a test can show nothing was off.
/// </summary>
public abstract class ShapeServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Body, TimeSpan? RetryAfter)>> _scripted = new();
    private WebApplication? _app;

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Messages accepted, in arrival order.</summary>
    public ConcurrentQueue<AcceptedPush> Accepted { get; } = new();

    /// <summary>Requests refused for their shape, with the reason.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Requests per device token (accepted, scripted failures and shape refusals).</summary>
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    /// <summary>Starts listening on a free loopback port.</summary>
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = Protocols));
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>The next <paramref name="times"/> requests for <paramref name="token"/> are answered with <paramref name="status"/>.</summary>
    public void FailNext(string token, int times, int status, string body, TimeSpan? retryAfter = null)
    {
        var queue = _scripted.GetOrAdd(token, _ => new());
        for (var i = 0; i < times; i++)
            queue.Enqueue((status, body, retryAfter));
    }

    /// <summary>Accepted messages for <paramref name="token"/>.</summary>
    public AcceptedPush[] For(string token) => Accepted.Where(a => a.Token == token).ToArray();

    /// <summary>HTTP versions the endpoint speaks.</summary>
    protected abstract HttpProtocols Protocols { get; }

    /// <summary>Maps the service's routes.</summary>
    protected abstract void Map(WebApplication app);

    /// <summary>Answers a scripted failure for <paramref name="token"/> if one is queued; true when it did.</summary>
    protected async Task<bool> Scripted(HttpContext http, string token)
    {
        Attempts.AddOrUpdate(token, 1, (_, n) => n + 1);
        if (!_scripted.TryGetValue(token, out var queue) || !queue.TryDequeue(out var failure))
            return false;
        http.Response.StatusCode = failure.Status;
        if (failure.RetryAfter is { } wait)
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(failure.Body);
        return true;
    }

    /// <summary>Refuses a request whose shape is wrong (400 with the reason as JSON under <paramref name="errorEnvelope"/>).</summary>
    protected async Task Refuse(HttpContext http, string reason, Func<string, object> errorEnvelope)
    {
        Refusals.Enqueue(reason);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsJsonAsync(errorEnvelope(reason));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>Thrown by the shape checks: the message says what is off.</summary>
public sealed class ShapeException(string message) : Exception(message);

/// <summary>Small JSON shape checks shared by the two servers.</summary>
internal static class Shape
{
    /// <summary>
    /// Splits a compact JWS into its decoded header and claims, and checks its signature with <paramref name="verify"/>
    /// (given the signing input and the signature bytes).
    /// </summary>
    public static (JsonElement Header, JsonElement Claims) Jws(string jws, string what, Func<byte[], byte[], bool> verify)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3)
            throw new ShapeException($"The {what} is not a compact JWS.");
        if (!verify(System.Text.Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2])))
            throw new ShapeException($"The {what}'s signature does not verify with the public key.");
        return (JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0])).RootElement,
            JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).RootElement);
    }

    public static JsonElement Object(JsonElement parent, string name, bool required = true)
    {
        if (!parent.TryGetProperty(name, out var value))
            return required ? throw new ShapeException($"'{name}' is missing.") : default;
        return value.ValueKind == JsonValueKind.Object ? value : throw new ShapeException($"'{name}' must be an object.");
    }

    public static string String(JsonElement parent, string name, bool required = true)
    {
        if (!parent.TryGetProperty(name, out var value))
            return required ? throw new ShapeException($"'{name}' is missing.") : "";
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new ShapeException($"'{name}' must be a string.");
    }

    public static void OnlyKeys(JsonElement element, string where, params string[] allowed)
    {
        foreach (var p in element.EnumerateObject())
            if (!allowed.Contains(p.Name))
                throw new ShapeException($"'{where}.{p.Name}' is not a field of {where} (allowed: {string.Join(", ", allowed)}).");
    }
}

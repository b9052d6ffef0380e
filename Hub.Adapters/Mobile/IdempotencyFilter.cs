using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Persistence;
using Microsoft.AspNetCore.Http.Metadata;
using Hub.Persistence.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hub.Adapters.Mobile;

/// <summary>
/// The first answer to a POST, kept under (user, route, <c>Idempotency-Key</c>) so a retry over a
/// flaky mobile network gets the same answer and never creates twice (table <c>api_idempotent_request</c>).
/// </summary>
public sealed class IdempotentRequest
{
    public string UserId { get; set; } = "";
    public string Route { get; set; } = "";
    public string Key { get; set; } = "";
    /// <summary>SHA-256 of the request body as bound: the same key with another body is refused.</summary>
    public string RequestHash { get; set; } = "";
    /// <summary>HTTP status of the first answer; 0 while the first request is still running.</summary>
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    /// <summary>
    /// The first answer's body, base64; sealed at rest (column <c>Answer</c>), since it repeats what the request created,
    /// phones and bank accounts included. The column <c>Body</c> of version 1 held it in clear and is empty since version 2.
    /// </summary>
    public string? Answer { get; set; }
    /// <summary>When the key was first seen (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// Endpoint filter of every mobile POST: requires an <c>Idempotency-Key</c>, replays the stored
/// answer to a repeat, refuses the same key with a different body (422) or while the first request
/// is still running (409). Server errors are not stored, so a retry after one runs again.
/// </summary>
public sealed class IdempotencyFilter(IServiceScopeFactory scopes) : IEndpointFilter
{
    /// <summary>Request header carrying the client's key.</summary>
    public const string Header = "Idempotency-Key";
    /// <summary>Response header set on a replayed answer.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<IdempotencyExempt>() is not null)
            return await next(context);

        var key = http.Request.Headers[Header].ToString().Trim();
        if (key.Length is 0 or > 128)
            return Results.ValidationProblem(new Dictionary<string, string[]> { [Header] = ["Every POST needs an Idempotency-Key header of 1 to 128 characters."] },
                title: "Idempotency-Key is required.");

        var userId = http.User.Identity?.IsAuthenticated == true ? MobileCaller.From(http.User).UserId : "";
        var route = MobileApi.Canonical(http.Request.Path);
        var hash = HashOfBody(context);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var claim = new IdempotentRequest { UserId = userId, Route = route, Key = key, RequestHash = hash, CreatedAt = DateTime.UtcNow };
        db.Add(claim);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            var first = await db.Set<IdempotentRequest>().AsNoTracking()
                .FirstAsync(r => r.UserId == userId && r.Route == route && r.Key == key, http.RequestAborted);
            return Replay(first, hash);
        }

        var answer = await Capture(http, context, next, claim, db);
        return answer;
    }

    private static async Task<object?> Capture(HttpContext http, EndpointFilterInvocationContext context, EndpointFilterDelegate next,
        IdempotentRequest claim, HubDbContext db)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            var result = await next(context);
            await (result switch
            {
                IResult r => r.ExecuteAsync(http),
                null => Task.CompletedTask,
                var value => Results.Ok(value).ExecuteAsync(http),
            });
        }
        catch
        {
            // Nothing was answered: forget the key so the client's retry runs the request again.
            http.Response.Body = original;
            db.Remove(claim);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        http.Response.Body = original;

        if (http.Response.StatusCode >= 500)
        {
            db.Remove(claim);
        }
        else
        {
            claim.Status = http.Response.StatusCode;
            claim.ContentType = http.Response.ContentType;
            claim.Location = http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
            claim.ETag = http.Response.Headers.ETag.ToString() is { Length: > 0 } e ? e : null;
            claim.Answer = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
        return Results.Empty;
    }

    private static IResult Replay(IdempotentRequest first, string hash)
    {
        if (first.RequestHash != hash)
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused with a different request.",
                detail: "This key already names another request; use a new key for a new request.");
        if (first.Status == 0)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The first request with this Idempotency-Key is still running.",
                detail: "Retry in a moment to get its answer.");
        return new ReplayedResult(first);
    }

    /// <summary>
    /// The id a POST creates, derived from its <c>Idempotency-Key</c>: the same key always names the same thing, so a
    /// retried POST whose first answer was lost creates it once. <paramref name="purpose"/> keeps ids of different kinds apart.
    /// </summary>
    public static Guid IdFor(string purpose, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(purpose + ":" + idempotencyKey.Trim()));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>SHA-256 of the JSON body argument as bound (whitespace and member order of the client's text do not matter).</summary>
    private static string HashOfBody(EndpointFilterInvocationContext context)
    {
        var bodyType = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var body = bodyType is null ? null : context.Arguments.FirstOrDefault(a => a is not null && bodyType.IsInstanceOfType(a));
        var json = body is null ? "" : JsonSerializer.Serialize(body, bodyType!, JsonSerializerOptions.Web);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    private sealed class ReplayedResult(IdempotentRequest first) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = first.Status;
            http.Response.Headers[ReplayedHeader] = "true";
            if (first.Location is not null)
                http.Response.Headers.Location = first.Location;
            if (first.ETag is not null)
                http.Response.Headers.ETag = first.ETag;
            if (first.ContentType is not null)
                http.Response.ContentType = first.ContentType;
            if (first.Answer is { Length: > 0 } answer)
                await http.Response.Body.WriteAsync(Convert.FromBase64String(answer), http.RequestAborted);
        }
    }
}

/// <summary>
/// Marks a POST that creates nothing (sign-in: a retry just gets a fresh token), so it needs no
/// <c>Idempotency-Key</c>.
/// </summary>
public sealed class IdempotencyExempt;

/// <summary>Table of <see cref="IdempotentRequest"/>.</summary>
internal sealed class IdempotencyStoreModel : IHubStoreModel
{
    public string Module => "mobile-idempotency";

    public void Configure(ModelBuilder model) => model.Entity<IdempotentRequest>(e =>
    {
        e.ToTable("api_idempotent_request");
        e.HasKey(r => new { r.UserId, r.Route, r.Key });
        e.Property(r => r.UserId).HasMaxLength(64);
        e.Property(r => r.Route).HasMaxLength(256);
        e.Property(r => r.Key).HasMaxLength(128);
        e.Property(r => r.RequestHash).HasMaxLength(64);
        e.HasIndex(r => r.CreatedAt);
        e.Property(r => r.Answer).IsEncrypted();
    });

    public IReadOnlyList<HubSchemaMigration> Migrations { get; } =
    [
        new("mobile-idempotency", 1, "create api_idempotent_request", m =>
        {
            m.CreateTable("api_idempotent_request", t => new
            {
                UserId = t.Column<string>(maxLength: 64, nullable: false),
                Route = t.Column<string>(maxLength: 256, nullable: false),
                Key = t.Column<string>(maxLength: 128, nullable: false),
                RequestHash = t.Column<string>(maxLength: 64, nullable: false),
                Status = t.Column<int>(nullable: false),
                ContentType = t.Column<string>(nullable: true),
                Location = t.Column<string>(nullable: true),
                ETag = t.Column<string>(nullable: true),
                Body = t.Column<byte[]>(nullable: true),
                CreatedAt = t.Column<DateTime>(nullable: false),
            }, constraints: t => t.PrimaryKey("pk_api_idempotent_request", x => new { x.UserId, x.Route, x.Key }));
            m.CreateIndex("ix_api_idempotent_request_created", "api_idempotent_request", "CreatedAt");
        }),
        new("mobile-idempotency", 2, "stored answers sealed in Answer; Body emptied", m => m.AddColumn<string>("Answer", "api_idempotent_request", nullable: true))
        {
            Data = SealStoredAnswers,
        },
    ];

    /// <summary>
    /// Moves the answers version 1 kept in clear (<c>Body</c>, bytes) to <c>Answer</c>, sealed, and empties <c>Body</c>. Rows
    /// live for the idempotency retention (a day by default), so they are few and go in one pass.
    /// </summary>
    private static async Task SealStoredAnswers(HubDbContext db, CancellationToken ct)
    {
        var keys = db.RequiredColumnKeys;
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var rows = new List<(string UserId, string Route, string Key, byte[] Body)>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT \"UserId\", \"Route\", \"Key\", \"Body\" FROM api_idempotent_request WHERE \"Body\" IS NOT NULL";
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3)));
        }
        foreach (var (userId, route, key, body) in rows)
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE api_idempotent_request SET \"Answer\" = @answer, \"Body\" = NULL WHERE \"UserId\" = @user AND \"Route\" = @route AND \"Key\" = @key";
            foreach (var (name, value) in new (string, object)[] { ("answer", keys.Encrypt(Convert.ToBase64String(body))), ("user", userId), ("route", route), ("key", key) })
            {
                var parameter = update.CreateParameter();
                parameter.ParameterName = "@" + name;
                parameter.Value = value;
                update.Parameters.Add(parameter);
            }
            await update.ExecuteNonQueryAsync(ct);
        }
    }
}

using System.Net;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hub.Functions.Notifications.Templates;
using Hub.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Functions.Notifications;

/// <summary>Body of <c>PUT /api/notifications/recipients/{key}</c>.</summary>
/// <param name="Name">Name used in greetings (required).</param>
/// <param name="Email">Email address.</param>
/// <param name="Phone">Mobile number.</param>
/// <param name="Language"><c>zh</c> or <c>en</c>; default <c>Notifications:DefaultLanguage</c>.</param>
/// <param name="CustomerCode">The customer whose timeline shows this recipient's messages.</param>
/// <param name="Birthday">For birthday care.</param>
/// <param name="QuietFrom">Own quiet hours start, <c>HH:mm</c> (with <paramref name="QuietUntil"/>).</param>
/// <param name="QuietUntil">Own quiet hours end.</param>
/// <param name="EmailOptOut">Opt out of (true) or back into (false) email; absent: unchanged.</param>
/// <param name="SmsOptOut">Opt out of or back into SMS; absent: unchanged.</param>
/// <param name="Tags">Tags campaigns select on.</param>
/// <param name="EscalateTo">For staff: whom their deadline alarms escalate to (a recipient key).</param>
public sealed record RecipientRequest(string? Name, string? Email, string? Phone, string? Language, string? CustomerCode, DateOnly? Birthday,
    string? QuietFrom, string? QuietUntil, bool? EmailOptOut, bool? SmsOptOut, IReadOnlyList<string>? Tags, string? EscalateTo);

/// <summary>A recipient as the registry holds it (without its unsubscribe secret).</summary>
public sealed record RecipientView(string Key, string Name, string? Email, string? Phone, string Language, string? CustomerCode, string? Birthday,
    string? QuietFrom, string? QuietUntil, bool EmailOptOut, bool SmsOptOut, IReadOnlyList<string> Tags, string? EscalateTo, DateTimeOffset UpdatedAt);

/// <summary>
/// The recipient registry's API (how the CRM feeds addresses, language, opt-outs, quiet hours and birthdays to the
/// notification functions) and the unsubscribe link of every email.
/// </summary>
public static partial class RecipientsApi
{
    /// <summary>Where an email's unsubscribe link points.</summary>
    public const string UnsubscribePath = "/notifications/unsubscribe";

    /// <summary>Maps <c>/api/notifications/recipients</c> and <see cref="UnsubscribePath"/>.</summary>
    public static void MapRecipientsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications/recipients").WithTags("Notifications");
        group.MapPut("/{key}", Put).RequireAuthorization(NotificationsAccess.Write);
        group.MapGet("/{key}", async Task<Results<Ok<RecipientView>, ProblemHttpResult>> (string key, HubDbContext db, CancellationToken ct) =>
            await db.Set<NotificationRecipient>().AsNoTracking().SingleOrDefaultAsync(r => r.Key == key, ct) is { } found
                ? TypedResults.Ok(View(found))
                : TypedResults.Problem(statusCode: 404, title: "No such recipient.", detail: $"The registry has no recipient '{key}'."))
            .RequireAuthorization(NotificationsAccess.Read);

        // GET only shows the question (mail scanners follow links); POST, also RFC 8058 one-click, opts out.
        routes.MapGet(UnsubscribePath, async (string? token, HubDbContext db, CancellationToken ct) =>
            await ByToken(db, token, ct) is { } recipient
                ? Results.Content(UnsubscribePage(recipient, done: false, token!), "text/html; charset=utf-8")
                : UnknownToken()).ExcludeFromDescription();
        routes.MapPost(UnsubscribePath, async (string? token, HubDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (await ByToken(db, token, ct) is not { } recipient)
                return UnknownToken();
            await db.Set<NotificationRecipient>().Where(r => r.Key == recipient.Key)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.EmailOptOut, true).SetProperty(r => r.UpdatedAt, clock.GetUtcNow()), ct);
            return Results.Content(UnsubscribePage(recipient, done: true, token!), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
    }

    private static async Task<Results<Ok<RecipientView>, Created<RecipientView>, ValidationProblem>> Put(string key, RecipientRequest request,
        HubDbContext db, TimeProvider clock, IOptions<NotificationsOptions> options, CancellationToken ct)
    {
        var errors = Validate(key, request, clock.GetUtcNow());
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The recipient is not valid.");

        var recipient = await db.Set<NotificationRecipient>().SingleOrDefaultAsync(r => r.Key == key, ct);
        var created = recipient is null;
        recipient ??= db.Add(new NotificationRecipient { Key = key, UnsubscribeToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) }).Entity;
        recipient.Name = request.Name!.Trim();
        recipient.Email = RecipientKeys.Address(NotificationChannel.Email, request.Email);
        recipient.Phone = RecipientKeys.Address(NotificationChannel.Sms, request.Phone);
        recipient.Language = request.Language ?? options.Value.DefaultLanguage;
        recipient.CustomerCode = string.IsNullOrWhiteSpace(request.CustomerCode) ? null : request.CustomerCode.Trim();
        recipient.BirthMonth = request.Birthday?.Month;
        recipient.BirthDay = request.Birthday?.Day;
        recipient.QuietFrom = Minutes(request.QuietFrom);
        recipient.QuietUntil = Minutes(request.QuietUntil);
        recipient.EmailOptOut = request.EmailOptOut ?? recipient.EmailOptOut;
        recipient.SmsOptOut = request.SmsOptOut ?? recipient.SmsOptOut;
        recipient.Tags = ";" + string.Concat((request.Tags ?? []).Select(t => t.Trim() + ";").Distinct());
        recipient.EscalateTo = string.IsNullOrWhiteSpace(request.EscalateTo) ? null : request.EscalateTo.Trim();
        recipient.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return created ? TypedResults.Created($"/api/notifications/recipients/{key}", View(recipient)) : TypedResults.Ok(View(recipient));
    }

    private static Dictionary<string, string[]> Validate(string key, RecipientRequest r, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
                errors[field] = [message];
        }
        Check(IsKey(key), "key", "must be customer:, contact:, user: or dealer: followed by 1-64 letters, digits or . _ @ -");
        Check(!string.IsNullOrWhiteSpace(r.Name) && r.Name.Trim().Length <= 100, "name", "is required, at most 100 characters");
        Check(r.Email is null || IsEmail(r.Email), "email", "is not an email address");
        Check(r.Phone is null || (r.Phone.Length <= 32 && RecipientKeys.Address(NotificationChannel.Sms, r.Phone) is { Length: <= 20 }), "phone",
            "is not a phone number");
        Check(r.Language is null || NotificationTemplates.Languages.Contains(r.Language), "language", "must be zh or en");
        Check(r.CustomerCode is null || r.CustomerCode.Trim().Length <= 64, "customerCode", "at most 64 characters");
        Check(r.Birthday is null || (r.Birthday.Value.Year >= 1900 && r.Birthday.Value <= DateOnly.FromDateTime(now.UtcDateTime)), "birthday",
            "is not a plausible birthday");
        Check((r.QuietFrom is null) == (r.QuietUntil is null), "quietFrom", "quietFrom and quietUntil go together");
        Check(r.QuietFrom is null || Minutes(r.QuietFrom) is not null, "quietFrom", "must be HH:mm");
        Check(r.QuietUntil is null || Minutes(r.QuietUntil) is not null, "quietUntil", "must be HH:mm");
        Check(r.Tags is null || (r.Tags.Count <= 20 && r.Tags.All(t => t is not null && Tag().IsMatch(t.Trim()))), "tags",
            "at most 20 tags of 1-32 letters, digits, _ or -");
        Check(r.EscalateTo is null || (IsKey(r.EscalateTo.Trim()) && r.EscalateTo.Trim() != key), "escalateTo", "must be another recipient key");
        return errors;
    }

    private static RecipientView View(NotificationRecipient r) => new(r.Key, r.Name, r.Email, r.Phone, r.Language, r.CustomerCode,
        r.BirthMonth is { } m && r.BirthDay is { } d ? $"{m:00}-{d:00}" : null, Time(r.QuietFrom), Time(r.QuietUntil), r.EmailOptOut, r.SmsOptOut,
        r.Tags.Split(';', StringSplitOptions.RemoveEmptyEntries), r.EscalateTo, r.UpdatedAt);

    private static bool IsKey(string key) => key.Length <= 100 && Key().IsMatch(key);

    private static bool IsEmail(string value) =>
        value.Trim().Length <= 254 && MailAddress.TryCreate(value.Trim(), out var address) && address.Address == value.Trim() && address.Host.Contains('.');

    private static int? Minutes(string? time) =>
        TimeOnly.TryParseExact(time, "HH:mm", out var t) ? t.Hour * 60 + t.Minute : null;

    private static string? Time(int? minutes) => minutes is { } m ? $"{m / 60:00}:{m % 60:00}" : null;

    private static async Task<NotificationRecipient?> ByToken(HubDbContext db, string? token, CancellationToken ct) =>
        token is { Length: 32 } && token.All(char.IsAsciiHexDigitLower)
            ? await db.Set<NotificationRecipient>().AsNoTracking().SingleOrDefaultAsync(r => r.UnsubscribeToken == token, ct)
            : null;

    private static IResult UnknownToken() =>
        Results.Problem(statusCode: 404, title: "Unknown unsubscribe link.", detail: "The link is not valid; nothing was changed.");

    private static string UnsubscribePage(NotificationRecipient recipient, bool done, string token)
    {
        var zh = recipient.Language != "en";
        var body = done
            ? zh ? "您已退订邮件通知。" : "You will receive no more emails from us."
            : $"<form method=\"post\" action=\"{UnsubscribePath}?token={token}\"><p>{(zh ? "确定不再接收我们的邮件吗？" : "Stop receiving our emails?")}</p>"
              + $"<button type=\"submit\">{(zh ? "退订" : "Unsubscribe")}</button></form>";
        return $"<!doctype html><html lang=\"{(zh ? "zh" : "en")}\"><meta charset=\"utf-8\"><title>{(zh ? "退订" : "Unsubscribe")}</title>"
               + $"<body><p>{WebUtility.HtmlEncode(recipient.Name)}</p>{(done ? $"<p>{body}</p>" : body)}</body></html>";
    }

    [GeneratedRegex("^(customer|contact|user|dealer):[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex Key();

    [GeneratedRegex(@"^[\p{L}\p{N}_-]{1,32}$")]
    private static partial Regex Tag();
}

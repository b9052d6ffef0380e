using Hub.Infrastructure;
using Hub.Adapters.Customers;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Schedule;

/// <summary>An appointment as the app writes it (POST and PUT).</summary>
public sealed record AppointmentInput(string? Kind, string? Title, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? CustomerCode,
    string? Location, string? Notes);

/// <summary>An appointment as the app reads it; times in UTC.</summary>
public sealed record AppointmentView(Guid Id, string Kind, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? CustomerCode,
    string? Location, string? Notes, long Version);

/// <summary>Limits of an appointment's fields.</summary>
public static class Appointments
{
    public const int MaxTitle = 200, MaxLocation = 200, MaxNotes = 2000;

    /// <summary>Longest appointment, and longest range one list may ask for.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7), MaxRange = TimeSpan.FromDays(92);

    /// <summary>The view of <paramref name="a"/>.</summary>
    public static AppointmentView View(Appointment a) => new(a.Id, a.Kind.ToString(), a.Title, new DateTimeOffset(a.StartsAtTicks, TimeSpan.Zero),
        new DateTimeOffset(a.EndsAtTicks, TimeSpan.Zero), a.CustomerCode, a.Location, a.Notes, a.Version);
}

/// <summary>
/// The signed-in user's schedule (003 §5.3 日程安排) at <c>/api/v1/me/schedule</c>: appointments they plan (customer visits, calls,
/// meetings), each theirs alone (another user's answers 404). POST needs an <c>Idempotency-Key</c>; PUT and DELETE the ETag in
/// <c>If-Match</c>. A customer named must be one the caller may see. Each saved appointment is reminded of before it starts.
/// </summary>
public static class ScheduleApi
{
    /// <summary>Registers the schedule's table, settings (<c>Mobile:Schedule</c>) and the task sources of this host.</summary>
    public static IServiceCollection AddSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.Section))
            .Validate(o => o.ReminderBefore >= TimeSpan.Zero, "Mobile:Schedule:ReminderBefore must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<IHubStoreModel, ScheduleStoreModel>();
        return services.AddUserTasks();
    }

    /// <summary>Registers the reminder consumer.</summary>
    public static void AddScheduleConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<RemindOfAppointmentConsumer, RemindOfAppointmentConsumerDefinition>();

    /// <summary>Maps the schedule routes.</summary>
    public static void MapScheduleApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("me/schedule", "Schedule", g =>
    {
        g.MapPost("/", Create);
        g.MapGet("/", List);
        g.MapGet("/{appointmentId:guid}", Get);
        g.MapPut("/{appointmentId:guid}", Update);
        g.MapDelete("/{appointmentId:guid}", Delete);
    });

    private static async Task<IResult> Create(AppointmentInput body, HubDbContext db, TimeProvider clock, IMessageScheduler scheduler,
        IOptions<ScheduleOptions> options, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var appointment = new Appointment { Id = Guid.NewGuid(), OwnerUserId = caller.UserId, CreatedAtTicks = clock.GetUtcNow().UtcTicks, Version = 1 };
        if (await Apply(body, appointment, db, caller, ct) is { } invalid)
            return invalid;
        db.Add(appointment);
        await AppointmentReminders.Schedule(scheduler, appointment, options.Value, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        EntityTags.Set(http, appointment.Version);
        return TypedResults.Created($"/api/{MobileApi.Version}/me/schedule/{appointment.Id}", Appointments.View(appointment));
    }

    /// <summary>Appointments overlapping [<paramref name="from"/>, <paramref name="to"/>) (default: today UTC and the 7 days after), by start.</summary>
    private static async Task<IResult> List([AsParameters] PageRequest paging, DateTimeOffset? from, DateTimeOffset? to, string? kind,
        HubDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is { } invalidPage)
            return invalidPage;
        var start = from ?? new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var end = to ?? start.AddDays(7);
        var errors = new Dictionary<string, string[]>();
        if (end <= start)
            errors["to"] = ["to must be after from."];
        else if (end - start > Appointments.MaxRange)
            errors["to"] = [$"A list covers at most {Appointments.MaxRange.TotalDays:0} days."];
        AppointmentKind? kindFilter = null;
        if (kind is not null)
        {
            if (EnumNames.TryParse<AppointmentKind>(kind, out var k))
                kindFilter = k;
            else
                errors["kind"] = [$"kind is one of {string.Join(", ", Enum.GetNames<AppointmentKind>())}."];
        }
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The list request is invalid.");

        var caller = MobileCaller.From(http.User);
        var (startTicks, endTicks) = (start.UtcTicks, end.UtcTicks);
        var q = db.Set<Appointment>().AsNoTracking()
            .Where(a => a.OwnerUserId == caller.UserId && a.StartsAtTicks < endTicks && a.EndsAtTicks > startTicks);
        if (kindFilter is { } only)
            q = q.Where(a => a.Kind == only);
        q = q.OrderBy(a => a.StartsAtTicks).ThenBy(a => a.Id);
        Page<Appointment> page;
        if (paging.Search is { } term)
        {
            // The location is sealed at rest, so SQL cannot search it: the window (one user's, at most MaxRange days) is read
            // and searched opened, then paged. Its size is one person's diary, not a table.
            var found = (await q.ToListAsync(ct)).Where(a => a.Title.Contains(term, StringComparison.Ordinal)
                || (a.CustomerCode?.Contains(term, StringComparison.Ordinal) ?? false) || (a.Location?.Contains(term, StringComparison.Ordinal) ?? false)).ToList();
            page = paging.ToPage(found);
        }
        else
            page = await paging.ToPageAsync(q, ct);
        return TypedResults.Ok(new Page<AppointmentView>(page.Items.Select(Appointments.View).ToList(), page.PageNumber, page.PageSize, page.Total));
    }

    private static async Task<IResult> Get(Guid appointmentId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var appointment = await Own(db, appointmentId, MobileCaller.From(http.User), tracked: false, ct);
        if (appointment is null)
            return NotFound(appointmentId);
        EntityTags.Set(http, appointment.Version);
        return TypedResults.Ok(Appointments.View(appointment));
    }

    private static async Task<IResult> Update(Guid appointmentId, AppointmentInput body, HubDbContext db, TimeProvider clock, IMessageScheduler scheduler,
        IOptions<ScheduleOptions> options, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var appointment = await Own(db, appointmentId, caller, tracked: true, ct);
        if (appointment is null)
            return NotFound(appointmentId);
        if (EntityTags.CheckIfMatch(http, appointment.Version) is { } refused)
            return refused;
        if (await Apply(body, appointment, db, caller, ct) is { } invalid)
            return invalid;
        appointment.Version++;
        await AppointmentReminders.Schedule(scheduler, appointment, options.Value, clock.GetUtcNow(), ct);
        if (await Save(db, ct) is { } conflict)
            return conflict;
        EntityTags.Set(http, appointment.Version);
        return TypedResults.Ok(Appointments.View(appointment));
    }

    private static async Task<IResult> Delete(Guid appointmentId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var appointment = await Own(db, appointmentId, MobileCaller.From(http.User), tracked: true, ct);
        if (appointment is null)
            return NotFound(appointmentId);
        if (EntityTags.CheckIfMatch(http, appointment.Version) is { } refused)
            return refused;
        db.Remove(appointment);
        return await Save(db, ct) ?? TypedResults.NoContent();
    }

    /// <summary>Validates <paramref name="body"/> and copies it onto <paramref name="appointment"/>; the problem to answer when it is invalid.</summary>
    private static async Task<IResult?> Apply(AppointmentInput body, Appointment appointment, HubDbContext db, MobileCaller caller, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EnumNames.TryParse<AppointmentKind>(body.Kind, out var kind))
            errors["kind"] = [$"kind is one of {string.Join(", ", Enum.GetNames<AppointmentKind>())}."];
        var title = body.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > Appointments.MaxTitle)
            errors["title"] = [$"title is required, at most {Appointments.MaxTitle} characters."];
        if (body.StartsAt is null)
            errors["startsAt"] = ["startsAt is required."];
        if (body.EndsAt is null)
            errors["endsAt"] = ["endsAt is required."];
        else if (body.StartsAt is { } s && body.EndsAt <= s)
            errors["endsAt"] = ["endsAt must be after startsAt."];
        else if (body.StartsAt is { } s2 && body.EndsAt - s2 > Appointments.MaxDuration)
            errors["endsAt"] = [$"An appointment lasts at most {Appointments.MaxDuration.TotalDays:0} days."];
        var location = Optional(body.Location, "location", Appointments.MaxLocation, errors);
        var notes = Optional(body.Notes, "notes", Appointments.MaxNotes, errors);
        var customerCode = body.CustomerCode?.Trim();
        if (string.IsNullOrEmpty(customerCode))
            customerCode = null;
        // A customer outside the caller's scope is reported exactly as an unknown one: its existence is not disclosed.
        else if (customerCode.Length > 32 || !await CustomerQueries.Visible(db, caller).AnyAsync(c => c.Code == customerCode && c.MergedIntoId == null, ct))
            errors["customerCode"] = [$"No customer {customerCode} in your scope."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The appointment is invalid.");

        appointment.Kind = kind;
        appointment.Title = title!;
        appointment.StartsAtTicks = body.StartsAt!.Value.UtcTicks;
        appointment.EndsAtTicks = body.EndsAt!.Value.UtcTicks;
        appointment.CustomerCode = customerCode;
        appointment.Location = location;
        appointment.Notes = notes;
        return null;
    }

    private static string? Optional(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (trimmed is { Length: > 0 } && trimmed.Length > max)
            errors[field] = [$"{field} is at most {max} characters."];
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static Task<Appointment?> Own(HubDbContext db, Guid id, MobileCaller caller, bool tracked, CancellationToken ct)
    {
        var set = tracked ? db.Set<Appointment>() : db.Set<Appointment>().AsNoTracking();
        return set.FirstOrDefaultAsync(a => a.Id == id && a.OwnerUserId == caller.UserId, ct);
    }

    /// <summary>Saves; 412 when another phone changed or removed the appointment between our read and write.</summary>
    private static async Task<IResult?> Save(HubDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource was changed by someone else.");
        }
    }

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such appointment.", detail: $"Appointment {id} is not in your schedule.");
}

using Crm.Contracts.Schedule;
using Hub.Adapters.Push;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Schedule;

/// <summary>The schedule's settings (<c>Mobile:Schedule</c>).</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Mobile:Schedule";

    /// <summary>How long before an appointment starts its owner's phones are reminded; zero turns reminders off.</summary>
    public TimeSpan ReminderBefore { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Reminders of appointments on the hub's durable scheduler: each saved version of an appointment schedules one
/// <see cref="RemindOfAppointment"/> for its start less <see cref="ScheduleOptions.ReminderBefore"/>; the reminder checks the version, so
/// only the appointment as it stands is reminded of.
/// </summary>
public static class AppointmentReminders
{
    /// <summary>Kind of the push (a push preference can mute it).</summary>
    public const string Kind = "schedule.reminder";

    /// <summary>
    /// Schedules the reminder of <paramref name="appointment"/> as it will be saved, unless it is due already. Called before the save:
    /// a reminder whose save then fails finds no such version and does nothing, whereas a save without its reminder would be a silent loss.
    /// </summary>
    public static async Task Schedule(IMessageScheduler scheduler, Appointment appointment, ScheduleOptions options, DateTimeOffset now, CancellationToken ct)
    {
        if (options.ReminderBefore <= TimeSpan.Zero)
            return;
        var at = new DateTimeOffset(appointment.StartsAtTicks, TimeSpan.Zero) - options.ReminderBefore;
        if (at <= now)
            return;
        await scheduler.ScheduleSend(HubQueues.Address(HubQueues.MobilePush), at.UtcDateTime, new RemindOfAppointment(appointment.Id, appointment.Version), ct);
    }
}

/// <summary>Pushes the reminder of an appointment to its owner, on the live stream and the phones.</summary>
public sealed class RemindOfAppointmentConsumer(HubDbContext db, PushRecorder pushes) : IConsumer<RemindOfAppointment>
{
    public async Task Consume(ConsumeContext<RemindOfAppointment> context)
    {
        var m = context.Message;
        var appointment = await db.Set<Appointment>().AsNoTracking().FirstOrDefaultAsync(a => a.Id == m.AppointmentId, context.CancellationToken);
        if (appointment is null || appointment.Version != m.Version)
            return;   // deleted, or changed since: the new version has its own reminder
        var view = Appointments.View(appointment);
        await pushes.RecordAsync(context, new PushNotice(appointment.OwnerUserId, AppointmentReminders.Kind, $"{AppointmentReminders.Kind}:{m.AppointmentId:N}:{m.Version}",
            view, $"{view.Kind}: {view.Title}", $"Starts {view.StartsAt:yyyy-MM-dd HH:mm} UTC{(view.Location is null ? "" : $", {view.Location}")}.",
            new Dictionary<string, string> { ["kind"] = AppointmentReminders.Kind, ["appointmentId"] = m.AppointmentId.ToString() }));
    }
}

/// <summary>Runs on the mobile push endpoint, with the other pushes.</summary>
public sealed class RemindOfAppointmentConsumerDefinition : ConsumerDefinition<RemindOfAppointmentConsumer>
{
    public RemindOfAppointmentConsumerDefinition() => EndpointName = HubQueues.MobilePush;
}

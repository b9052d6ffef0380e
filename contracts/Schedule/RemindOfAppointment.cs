namespace Crm.Contracts.Schedule;

/// <summary>
/// Timeout scheduled for the start of an appointment less the reminder lead: push a reminder to its owner. <paramref name="Version"/>
/// is the appointment's version when it was scheduled; a moved or deleted appointment (another version, or none) is not reminded of.
/// </summary>
public sealed record RemindOfAppointment(Guid AppointmentId, long Version);

namespace Hub.Infrastructure.Monitoring;

/// <summary>Message audit settings (section <c>Hub:Audit</c>).</summary>
public sealed class AuditSettings
{
    /// <summary>Record every consumed message (the operations view's message flows). Off only to measure its cost.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long audit records, metrics and settled failed messages are kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often records older than <see cref="Retention"/> are purged.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Heartbeat settings (section <c>Hub:Heartbeat</c>).</summary>
public sealed class HeartbeatSettings
{
    /// <summary>Every host writes a heartbeat this often; three missed ones mark it stopped.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);
}

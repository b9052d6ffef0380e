namespace Hub.Infrastructure.Monitoring;

/// <summary>
/// One running host process as its heartbeats describe it (table <c>endpoint_instance</c>): alive
/// while heartbeats keep coming, stopped after three missed intervals or a clean shutdown.
/// </summary>
public sealed class EndpointInstance
{
    /// <summary>Made up at process start.</summary>
    public Guid InstanceId { get; set; }
    /// <summary>The host's modules, e.g. <c>Adapters</c> or <c>Endpoints+Adapters+Functions</c> (embedded).</summary>
    public string Endpoint { get; set; } = "";
    /// <summary>Queues the process consumes, separated by <c>;</c>.</summary>
    public string Queues { get; set; } = "";
    /// <summary>Machine name.</summary>
    public string Host { get; set; } = "";
    /// <summary>Process id.</summary>
    public int ProcessId { get; set; }
    /// <summary>Process start (UTC).</summary>
    public DateTime StartedAt { get; set; }
    /// <summary>Last heartbeat (UTC).</summary>
    public DateTime LastSeenAt { get; set; }
    /// <summary>Heartbeat interval in seconds.</summary>
    public double IntervalSeconds { get; set; }
    /// <summary>Set when the process shut down cleanly (UTC).</summary>
    public DateTime? StoppedAt { get; set; }
    /// <summary>Readiness checks at the last heartbeat, as JSON <c>{"store":"Healthy",…}</c>.</summary>
    public string Health { get; set; } = "{}";

    /// <summary>Alive unless stopped cleanly or silent for three intervals.</summary>
    public bool IsAlive(DateTime now) => StoppedAt is null && now - LastSeenAt <= TimeSpan.FromSeconds(IntervalSeconds * 3);
}

/// <summary>What one instance processed during one heartbeat interval (table <c>endpoint_metric</c>), for the live charts.</summary>
public sealed class EndpointMetricSample
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>The instance.</summary>
    public Guid InstanceId { get; set; }
    /// <summary>End of the interval (UTC).</summary>
    public DateTime At { get; set; }
    /// <summary>Interval length in seconds.</summary>
    public double Seconds { get; set; }
    /// <summary>Messages processed successfully.</summary>
    public int Processed { get; set; }
    /// <summary>Failed processing attempts (each one retried or moved to the error queue).</summary>
    public int Failed { get; set; }
    /// <summary>Failed attempts that were retried (in place or by redelivery).</summary>
    public int Retried { get; set; }
    /// <summary>Messages moved to an error queue.</summary>
    public int MovedToError { get; set; }
    /// <summary>Average processing time in milliseconds.</summary>
    public double ProcessingMs { get; set; }
    /// <summary>Average critical time (sent → processed) in milliseconds.</summary>
    public double CriticalMs { get; set; }
}

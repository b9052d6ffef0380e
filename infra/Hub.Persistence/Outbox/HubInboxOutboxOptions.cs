namespace Hub.Persistence;

/// <summary>Timings of the inbox/outbox background work (<c>AddHubInboxOutbox(o =&gt; ...)</c>).</summary>
public sealed class HubInboxOutboxOptions
{
    /// <summary>How long consumed-and-delivered inbox rows are kept to detect redeliveries. Default 1 day.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often old inbox rows are deleted. Default 5 minutes.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the sweeper looks for undelivered outbox rows. Default 10 seconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An outbox row older than this is considered left over (its consumer crashed after commit) and the sweeper
    /// delivers it. Keep it well above normal processing time, or rows may be sent twice (still deduplicated
    /// downstream by message id). Default 1 minute.
    /// </summary>
    public TimeSpan UndeliveredAge { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a claimed row stays reserved for the instance that claimed it. Default 2 minutes.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Rows claimed per sweep. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    internal bool IsValid() => InboxRetention > TimeSpan.Zero && CleanupInterval > TimeSpan.Zero && SweepInterval > TimeSpan.Zero
        && UndeliveredAge >= TimeSpan.Zero && ClaimDuration > TimeSpan.Zero && BatchSize > 0;
}

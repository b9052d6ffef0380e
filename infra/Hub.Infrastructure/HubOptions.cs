using System.ComponentModel.DataAnnotations;

namespace Hub.Infrastructure;

/// <summary>
/// The hub's process-wide settings (section <c>Hub</c>). Transport and store are chosen here and
/// nowhere else: no code path differs between the embedded default and the distributed mode.
/// </summary>
public sealed class HubOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Hub";

    /// <summary><c>inmemory</c> (default, one process) or <c>rabbitmq</c>.</summary>
    [Required, RegularExpression("^(inmemory|rabbitmq)$", ErrorMessage = "Hub:Transport must be 'inmemory' or 'rabbitmq'.")]
    public string Transport { get; set; } = "inmemory";

    /// <summary><c>sqlite</c> (default, a file under ./data) or <c>postgres</c>.</summary>
    [Required, RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Hub:Store must be 'sqlite' or 'postgres'.")]
    public string Store { get; set; } = "sqlite";

    /// <summary>SQLite database file, used when <see cref="Store"/> is <c>sqlite</c>.</summary>
    public string SqlitePath { get; set; } = "data/hub.db";

    /// <summary>Npgsql connection string, required when <see cref="Store"/> is <c>postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Broker connection, used when <see cref="Transport"/> is <c>rabbitmq</c>.</summary>
    public RabbitMqSettings RabbitMq { get; set; } = new();

    /// <summary>OTLP endpoint (e.g. http://localhost:4317); traces and metrics are exported only when set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default, port 4317) or <c>http</c> (OTLP/HTTP protobuf, port 4318; signal paths are appended).</summary>
    [RegularExpression("^(grpc|http)$", ErrorMessage = "Hub:OtlpProtocol must be 'grpc' or 'http'.")]
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often traces and metrics are exported.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Immediate retries of a failed message before scheduled redelivery takes over.</summary>
    [Range(0, 20)]
    public int ImmediateRetries { get; set; } = 3;

    /// <summary>Delays of the scheduled redeliveries after the immediate retries are spent (partner outages).</summary>
    /// <remarks>
    /// Empty means <see cref="DefaultRedeliveryIntervals"/>: the configuration binder appends configured array items to a
    /// non-empty default, so <c>--Hub:RedeliveryIntervals:0=00:00:01</c> would otherwise add to the defaults, not replace them.
    /// </remarks>
    public TimeSpan[] RedeliveryIntervals { get; set; } = [];

    /// <summary>Redeliveries when none are configured: partner outages of up to about eight minutes.</summary>
    public static readonly TimeSpan[] DefaultRedeliveryIntervals = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)];

    /// <summary>The redelivery intervals in force.</summary>
    public TimeSpan[] EffectiveRedeliveryIntervals => RedeliveryIntervals.Length > 0 ? RedeliveryIntervals : DefaultRedeliveryIntervals;

    /// <summary>Messages one endpoint processes at once.</summary>
    [Range(1, 256)]
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>Message audit and its retention (<c>Hub:Audit</c>).</summary>
    public Monitoring.AuditSettings Audit { get; set; } = new();

    /// <summary>Heartbeats of this process for the operations view (<c>Hub:Heartbeat</c>).</summary>
    public Monitoring.HeartbeatSettings Heartbeat { get; set; } = new();
}

/// <summary>RabbitMQ connection settings (section <c>Hub:RabbitMq</c>).</summary>
public sealed class RabbitMqSettings
{
    /// <summary>Broker host name.</summary>
    public string Host { get; set; } = "localhost";
    /// <summary>AMQP port.</summary>
    public ushort Port { get; set; } = 5672;
    /// <summary>Virtual host.</summary>
    public string VirtualHost { get; set; } = "/";
    /// <summary>User name.</summary>
    public string Username { get; set; } = "guest";
    /// <summary>Password.</summary>
    public string Password { get; set; } = "guest";
    /// <summary>Management API base URL, for queue depths in the operations view.</summary>
    public string ManagementUrl { get; set; } = "http://localhost:15672";
}

namespace Hub.Persistence.Tests.Contracts;

/// <summary>Command: write a record with <paramref name="Key"/> and publish <see cref="ThingRecorded"/>; fail the first <paramref name="FailAttempts"/> attempts after publishing.</summary>
public record RecordThing(string Key, int FailAttempts = 0);

public record ThingRecorded(string Key, int Attempt);

public record CounterStarted(Guid CorrelationId, int DeadlineMs = 0, string? Gate = null);

public record CounterIncremented(Guid CorrelationId, string? Gate = null);

public record CounterStopped(Guid CorrelationId);

public record CounterDeadlineExpired(Guid CorrelationId);

public record CounterChanged(Guid CorrelationId, int Count);

/// <summary>Command whose consumer fails until the message has been redelivered through the scheduler.</summary>
public record FlakyThing(string Key);

namespace Crm.Contracts.Customers;

/// <summary>
/// Command: set customer <paramref name="CustomerId"/> back to its recorded values as of <paramref name="AsOf"/> (003 §3.15
/// 镜像备份); the restore is itself a recorded change. Answered with <see cref="CustomerCommandAccepted"/> or
/// <see cref="CustomerCommandRejected"/>.
/// </summary>
public sealed record RestoreCustomer(Guid CommandId, Guid CustomerId, DateTimeOffset AsOf, long? ExpectedVersion, string Actor);

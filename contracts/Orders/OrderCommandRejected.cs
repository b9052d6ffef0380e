namespace Crm.Contracts.Orders;

/// <summary>
/// Answer to an order command a business rule refused: messages per field (camelCase). <see cref="Conflict"/> when the order
/// changed since the command's expected version; <see cref="CurrentVersion"/> is its version now.
/// </summary>
public sealed record OrderCommandRejected(Guid OrderId, IReadOnlyDictionary<string, string[]> Errors, bool Conflict, long CurrentVersion);
